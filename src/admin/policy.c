/*
 * admin/policy.c: the roles, checked in one place. Authors write and
 * submit their own items; editors also publish, schedule, withdraw and
 * correct anyone's; admins also manage accounts and read the audit log.
 */
#include "admin_int.h"

static const char *const state_names[] = {
    "draft", "submitted", "scheduled", "published", "withdrawn",
};

enum item_state admin__state(enum article_status status, int64_t published_at,
                             int64_t submitted_at, int64_t now)
{
	switch (status) {
	case ARTICLE_PUBLISHED:
		return published_at > now ? STATE_SCHEDULED : STATE_PUBLISHED;
	case ARTICLE_SCHEDULED: return STATE_SCHEDULED;
	case ARTICLE_WITHDRAWN: return STATE_WITHDRAWN;
	case ARTICLE_DRAFT: break;
	}
	return submitted_at ? STATE_SUBMITTED : STATE_DRAFT;
}

const char *admin__state_name(enum item_state s)
{
	return (unsigned)s <= STATE_WITHDRAWN ? state_names[s] : "unknown";
}

/* What an author may do to an item: only their own, before it is out. */
static bool author_may(const struct user *u, enum admin_act act,
                       int64_t owner_id, enum item_state st)
{
	bool own = owner_id == u->id;
	bool open = st == STATE_DRAFT || st == STATE_SUBMITTED;

	switch (act) {
	case ACT_ENTER:
	case ACT_CREATE: return true;
	case ACT_VIEW: return owner_id < 0 || own;
	case ACT_EDIT:
	case ACT_SUBMIT: return owner_id < 0 || (own && open);
	default: return false;
	}
}

bool admin__may(const struct user *u, enum admin_act act, int64_t owner_id,
                enum item_state st)
{
	if (u == NULL || u->id == 0 || u->disabled)
		return false;
	switch (u->role) {
	case ROLE_ADMIN: return true;
	case ROLE_EDITOR: return act != ACT_USERS && act != ACT_AUDIT;
	case ROLE_AUTHOR: return author_may(u, act, owner_id, st);
	}
	return false;
}

enum pr_err admin__require(struct areq *r, enum admin_act act, int64_t owner_id,
                           enum item_state st)
{
	static const char *const what[] = {
	    [ACT_ENTER] = "use the editors' side",
	    [ACT_CREATE] = "write items",
	    [ACT_VIEW] = "see this item",
	    [ACT_EDIT] = "change this item",
	    [ACT_SUBMIT] = "submit this item",
	    [ACT_PUBLISH] = "publish or schedule items",
	    [ACT_WITHDRAW] = "withdraw items",
	    [ACT_LINKS] = "make preview links",
	    [ACT_USERS] = "manage users",
	    [ACT_AUDIT] = "read the audit log",
	};

	if (admin__may(&r->user, act, owner_id, st))
		return PR_OK;
	return admin__fail(r, PR_INVALID, 403, "Your role (%s) may not %s.",
	                   store_role_name(r->user.role), what[act]);
}

/*
 * render/i18n.c: the words of the interface in English and Russian, month
 * names, dates as each language writes them and the plural forms of
 * counted words. One static table: adding a language is adding a column.
 */
#include "render.h"

#include <stdlib.h>
#include <string.h>

enum { LANG_EN, LANG_RU, LANG_COUNT };

struct i18n_row {
	const char *key;
	const char *text[LANG_COUNT];
};

/* Sorted by key (bytewise) for bsearch; the unit test checks the order. */
static const struct i18n_row rows[] = {
    {"all_kinds", {"All kinds", "Все типы"}},
    {"all_news", {"All news", "Все новости"}},
    {"all_photos", {"All photos", "Все фото"}},
    {"archive", {"Archive", "Архив"}},
    {"archive_empty",
     {"Nothing was published in this period.",
      "За этот период ничего не опубликовано."}},
    {"archive_years", {"Archive by year", "Архив по годам"}},
    {"author", {"Author", "Автор"}},
    {"back_to_news", {"Back to the news", "Вернуться к новостям"}},
    {"bad_request_text",
     {"The request could not be understood.", "Запрос не удалось разобрать."}},
    {"bad_request_title", {"Bad request", "Неверный запрос"}},
    {"breadcrumbs", {"You are here", "Вы здесь"}},
    {"changes", {"Changes", "Изменения"}},
    {"close", {"Close", "Закрыть"}},
    {"copyright", {"All rights reserved.", "Все права защищены."}},
    {"current_version", {"Current version", "Текущая редакция"}},
    {"date", {"Date", "Дата"}},
    {"day", {"Day", "День"}},
    {"day_cut",
     {"More items were published on this day than one page shows; the "
      "newest are listed.",
      "В этот день опубликовано больше материалов, чем помещается на "
      "странице; показаны самые новые."}},
    {"download_original", {"Download the original", "Скачать оригинал"}},
    {"earlier_version", {"Earlier version", "Прежняя редакция"}},
    {"edited_notice",
     {"This item was changed after it was published.",
      "Материал изменён после публикации."}},
    {"error_archive_past_end",
     {"There is no such archive page: this feed's archive ends at page {}.",
      "Такой страницы архива нет: архив этой ленты заканчивается на "
      "странице {}."}},
    {"error_bad_after",
     {"The “after” value must be the time and number of an item, as the "
      "“Older” link writes it.",
      "Значение «after» должно содержать время и номер материала, как в "
      "ссылке «Более ранние»."}},
    {"error_bad_archive",
     {"The archive page must be a whole number, as the feed's archive "
      "links write it.",
      "Номер страницы архива должен быть целым числом, как в ссылках "
      "архива ленты."}},
    {"error_bad_day",
     {"The day must be two digits from 01 to {} in this month.",
      "День должен состоять из двух цифр, от 01 до {} в этом месяце."}},
    {"error_bad_id",
     {"“{}” is not a news item number: the address of an item starts "
      "with its number, as in /en/news/12345.",
      "«{}» — не номер материала: адрес материала начинается с его "
      "номера, например /ru/news/12345."}},
    {"error_bad_month",
     {"The month must be two digits from 01 to 12.",
      "Месяц должен состоять из двух цифр, от 01 до 12."}},
    {"error_bad_page",
     {"The page must be a whole number from 1 to {}.",
      "Номер страницы должен быть целым числом от 1 до {}."}},
    {"error_bad_year",
     {"The year must be four digits from 0001 to 9999.",
      "Год должен состоять из четырёх цифр, от 0001 до 9999."}},
    {"error_long_id",
     {"The news item number is too long.", "Слишком длинный номер материала."}},
    {"error_method",
     {"{} requests are not accepted here: this page can only be read "
      "(GET or HEAD).",
      "Запросы {} здесь не принимаются: эту страницу можно только читать "
      "(GET или HEAD)."}},
    {"error_no_archive",
     {"This feed has no archive pages yet: all its items are in the feed "
      "itself.",
      "У этой ленты пока нет страниц архива: все её материалы в самой "
      "ленте."}},
    {"error_no_article",
     {"There is no published news item number {}.",
      "Опубликованного материала с номером {} нет."}},
    {"error_no_entity",
     {"There is no such tag, person or place.",
      "Такой темы, персоны или места нет."}},
    {"error_no_older",
     {"There are no older items.", "Более ранних материалов нет."}},
    {"error_no_page",
     {"There is no page at this address.", "По этому адресу страницы нет."}},
    {"error_no_photo",
     {"There is no photo number {} in this item.",
      "В этом материале нет фото с номером {}."}},
    {"error_no_photos",
     {"News item number {} has no published photos.",
      "У материала с номером {} нет опубликованных фото."}},
    {"error_no_recent",
     {"Nothing was published in the last two days.",
      "За последние два дня ничего не опубликовано."}},
    {"error_page_past_end",
     {"There is no such page: the list ends at page {}.",
      "Такой страницы нет: список заканчивается на странице {}."}},
    {"error_search_cursor",
     {"The cursor is not one this site gave out (it may be from another "
      "search); start again without it.",
      "Этот курсор выдан не этим сайтом (или для другого поиска); начните "
      "заново без него."}},
    {"error_search_date",
     {"“{}” must be a date written as 2021-11-18, not “{}”.",
      "«{}» должно быть датой в виде 2021-11-18, а не «{}»."}},
    {"error_search_empty",
     {"Nothing to search for: give some words in q.",
      "Нечего искать: укажите слова в q."}},
    {"error_search_kind",
     {"There is no kind “{}”: use news, statement, speech, interview or "
      "announcement.",
      "Типа «{}» нет: используйте news, statement, speech, interview или "
      "announcement."}},
    {"error_search_lang",
     {"This site has no language “{}”.", "На этом сайте нет языка «{}»."}},
    {"error_search_limit",
     {"limit must be a whole number from 1 to {}.",
      "limit должен быть целым числом от 1 до {}."}},
    {"error_search_page",
     {"The page must be a whole number from 1, not “{}”.",
      "Номер страницы должен быть целым числом от 1, а не «{}»."}},
    {"error_search_page_max",
     {"Search results go to page {} at most: add words or filters to narrow "
      "the search.",
      "Результаты поиска показываются только до страницы {}: уточните запрос "
      "словами или фильтрами."}},
    {"error_search_range",
     {"The start date {} is after the end date {}.",
      "Начальная дата {} позже конечной {}."}},
    {"error_search_slug",
     {"“{}” must be written as in the site's links (lower-case letters, digits "
      "and hyphens), not “{}”.",
      "«{}» должно быть записано как в ссылках сайта (строчные буквы, цифры и "
      "дефисы), а не «{}»."}},
    {"error_search_sort",
     {"Sort by relevance or date, not by “{}”.",
      "Сортировать можно по релевантности или по дате, но не по «{}»."}},
    {"error_search_text",
     {"The query could not be read: {}.", "Запрос не удалось прочитать: {}."}},
    {"feed_atom", {"Atom feed", "Лента Atom"}},
    {"feed_json", {"JSON feed", "Лента JSON"}},
    {"feed_rss", {"RSS feed", "Лента RSS"}},
    {"feeds", {"Feeds", "Ленты"}},
    {"first", {"First", "Первая"}},
    {"gallery", {"Photo gallery", "Фотогалерея"}},
    {"gone_text",
     {"This item has been withdrawn by the press office.",
      "Материал отозван пресс-службой."}},
    {"gone_title", {"Item withdrawn", "Материал отозван"}},
    {"headers_too_large_text",
     {"The request carried more header data than this server accepts.",
      "Заголовки запроса больше, чем принимает сервер."}},
    {"headers_too_large_title",
     {"Request headers too large", "Слишком большие заголовки запроса"}},
    {"history", {"Change history", "История изменений"}},
    {"home", {"Home", "Главная"}},
    {"items_few", {"items", "материала"}},
    {"items_many", {"items", "материалов"}},
    {"items_one", {"item", "материал"}},
    {"kind", {"Kind", "Тип"}},
    {"kind_announcement", {"Announcement", "Анонс"}},
    {"kind_interview", {"Interview", "Интервью"}},
    {"kind_news", {"News", "Новость"}},
    {"kind_press_release", {"Press release", "Пресс-релиз"}},
    {"kind_speech", {"Speech", "Выступление"}},
    {"kind_statement", {"Statement", "Заявление"}},
    {"kinds_announcement", {"Announcements", "Анонсы"}},
    {"kinds_interview", {"Interviews", "Интервью"}},
    {"kinds_news", {"News", "Новости"}},
    {"kinds_speech", {"Speeches", "Выступления"}},
    {"kinds_statement", {"Statements", "Заявления"}},
    {"lang_name", {"English", "Русский"}},
    {"lang_version", {"English version", "Русская версия"}},
    {"language_switch", {"Language", "Язык"}},
    {"last", {"Last", "Последняя"}},
    {"latest_news", {"Latest news", "Последние новости"}},
    {"licence", {"Licence", "Лицензия"}},
    {"main_navigation", {"Main navigation", "Основная навигация"}},
    {"menu", {"Menu", "Меню"}},
    {"method_not_allowed_text",
     {"This address does not accept that kind of request.",
      "Этот адрес не принимает такой запрос."}},
    {"method_not_allowed_title",
     {"Method not allowed", "Метод не поддерживается"}},
    {"month", {"Month", "Месяц"}},
    {"newer", {"Newer", "Более новые"}},
    {"newest", {"Newest", "Самые новые"}},
    {"news", {"News", "Новости"}},
    {"news_page_title", {"News, page {}", "Новости, страница {}"}},
    {"next", {"Next", "Следующая"}},
    {"no_items", {"There is nothing here yet.", "Здесь пока ничего нет."}},
    {"not_found_text",
     {"The page you asked for does not exist or has moved.",
      "Запрошенная страница не существует или перемещена."}},
    {"not_found_title", {"Page not found", "Страница не найдена"}},
    {"of", {"of", "из"}},
    {"older", {"Older", "Более ранние"}},
    {"page", {"Page", "Страница"}},
    {"page_of", {"Page {} of {}", "Страница {} из {}"}},
    {"pagination", {"Pages", "Страницы"}},
    {"permalink", {"Permanent link", "Постоянная ссылка"}},
    {"person", {"Person", "Персона"}},
    {"persons", {"Persons", "Персоны"}},
    {"photo", {"Photo", "Фото"}},
    {"photo_count_few", {"photos", "фото"}},
    {"photo_count_many", {"photos", "фото"}},
    {"photo_count_one", {"photo", "фото"}},
    {"photo_credit", {"Photo", "Фото"}},
    {"photo_n_of", {"Photo {} of {}", "Фото {} из {}"}},
    {"photos", {"Photos", "Фотографии"}},
    {"photos_few", {"photos", "фотографии"}},
    {"photos_many", {"photos", "фотографий"}},
    {"photos_one", {"photo", "фотография"}},
    {"place", {"Place", "Место"}},
    {"places", {"Places", "Места"}},
    {"previous", {"Previous", "Предыдущая"}},
    {"print", {"Print", "Печать"}},
    {"print_version", {"Print version", "Версия для печати"}},
    {"published", {"Published", "Опубликовано"}},
    {"read_in_other_language", {"Read in Russian", "Читать на английском"}},
    {"read_more", {"Read more", "Подробнее"}},
    {"related", {"Related", "По теме"}},
    {"results_few", {"results", "результата"}},
    {"results_many", {"results", "результатов"}},
    {"results_one", {"result", "результат"}},
    {"revision", {"Version", "Редакция"}},
    {"search", {"Search", "Поиск"}},
    {"search_about", {"about {}", "около {}"}},
    {"search_any_language", {"All languages", "Все языки"}},
    {"search_button", {"Find", "Найти"}},
    {"search_did_you_mean", {"Did you mean", "Возможно, вы имели в виду"}},
    {"search_feed",
     {"Follow this search (Atom feed)",
      "Подписаться на этот поиск (лента Atom)"}},
    {"search_filters_active", {"Filters", "Фильтры"}},
    {"search_from", {"From", "С"}},
    {"search_help",
     {"All the words must match, in any form (прокуроры finds прокурора). Use "
      "\"quotes\" for a phrase, -word to leave a word out, OR between words "
      "for either, and word* for words that begin so. Names match in either "
      "alphabet: Krasnov finds Краснов.",
      "Должны совпасть все слова, в любой форме (прокуроры находит прокурора). "
      "Фразу берите в \"кавычки\", слово с минусом (-слово) исключается, OR "
      "между словами ищет любое из них, а слово* — слова с таким началом. "
      "Имена находятся в обоих алфавитах: Krasnov находит Краснов."}},
    {"search_label", {"Search for", "Что искать"}},
    {"search_last_page",
     {"Go to the last page", "Перейти на последнюю страницу"}},
    {"search_no_entity",
     {"{}: there is no “{}” on this site.", "{}: на сайте нет «{}»."}},
    {"search_none",
     {"Nothing was found for “{}”.", "По запросу «{}» ничего не найдено."}},
    {"search_nothing",
     {"Nothing was found. Try other words or dates.",
      "Ничего не найдено. Попробуйте другие слова или даты."}},
    {"search_options",
     {"Dates, kind, language and order", "Даты, тип, язык и порядок"}},
    {"search_past_end",
     {"There are no results on page {}: they end on page {}.",
      "На странице {} результатов нет: они заканчиваются на странице {}."}},
    {"search_placeholder", {"Search the news", "Поиск по новостям"}},
    {"search_refine", {"Refine the search", "Уточнить поиск"}},
    {"search_remove", {"remove", "убрать"}},
    {"search_results", {"Search results", "Результаты поиска"}},
    {"search_sort", {"Order", "Порядок"}},
    {"search_sort_date", {"Newest first", "Сначала новые"}},
    {"search_sort_relevance",
     {"Best matches first", "Сначала самые подходящие"}},
    {"search_summary", {"{} for “{}”", "{} по запросу «{}»"}},
    {"search_title", {"Search: {}", "Поиск: {}"}},
    {"search_to", {"To", "По"}},
    {"search_without_filters", {"Without the filters:", "Без фильтров:"}},
    {"server_error_text",
     {"Something went wrong on our side. Please try again later.",
      "На сервере произошла ошибка. Попробуйте позже."}},
    {"server_error_title", {"Server error", "Ошибка сервера"}},
    {"size_kb", {"{} KB", "{} КБ"}},
    {"size_mb", {"{} MB", "{} МБ"}},
    {"skip_to_content", {"Skip to content", "Перейти к содержанию"}},
    {"source", {"Source", "Источник"}},
    {"subscribe", {"Subscribe", "Подписаться"}},
    {"tag", {"Tag", "Тема"}},
    {"tags", {"Tags", "Темы"}},
    {"taken", {"Taken", "Дата съёмки"}},
    {"today", {"Today", "Сегодня"}},
    {"updated", {"Updated", "Обновлено"}},
    {"uri_too_long_text",
     {"The address is longer than this server accepts.",
      "Адрес длиннее, чем принимает сервер."}},
    {"uri_too_long_title", {"Address too long", "Слишком длинный адрес"}},
    {"version_of", {"Version of", "Редакция от"}},
    {"versions_few", {"versions", "редакции"}},
    {"versions_many", {"versions", "редакций"}},
    {"versions_one", {"version", "редакция"}},
    {"view_version", {"View this version", "Открыть эту редакцию"}},
    {"withdrawn", {"Withdrawn", "Отозван"}},
    {"year", {"Year", "Год"}},
    {"yesterday", {"Yesterday", "Вчера"}},
};

#define NROWS (sizeof(rows) / sizeof(rows[0]))

static const char *const months[LANG_COUNT][12] = {
    {"January", "February", "March", "April", "May", "June", "July", "August",
     "September", "October", "November", "December"},
    {"январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август",
     "сентябрь", "октябрь", "ноябрь", "декабрь"},
};

static const char *const months_gen_ru[12] = {
    "января", "февраля", "марта",    "апреля",  "мая",    "июня",
    "июля",   "августа", "сентября", "октября", "ноября", "декабря",
};

static const char *const months_title_ru[12] = {
    "Январь", "Февраль", "Март",     "Апрель",  "Май",    "Июнь",
    "Июль",   "Август",  "Сентябрь", "Октябрь", "Ноябрь", "Декабрь",
};

static int lang_index(const char *lang)
{
	return lang != NULL && strcmp(lang, "ru") == 0 ? LANG_RU : LANG_EN;
}

bool i18n_has_lang(struct str lang)
{
	return str_eq_c(lang, "en") || str_eq_c(lang, "ru");
}

const char *i18n_key(size_t i)
{
	return i < NROWS ? rows[i].key : NULL;
}

static int row_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct i18n_row *)elem)->key);
}

const char *i18n(const char *lang, const char *key)
{
	const struct i18n_row *r;
	const char *s;

	if (key == NULL)
		return "";
	r = bsearch(key, rows, NROWS, sizeof(rows[0]), row_cmp);
	if (r == NULL)
		return key;
	s = r->text[lang_index(lang)];
	return s != NULL ? s : r->text[LANG_EN];
}

void i18n_model(struct arena *a, struct tval *obj, const char *lang)
{
	struct tval *t = tv_obj(a);
	int l = lang_index(lang);
	size_t i;

	for (i = 0; t != NULL && i < NROWS; i++)
		tv_set(t, rows[i].key, tv_lit(a, rows[i].text[l]));
	tv_set(obj, "t", t);
}

static bool month_ok(int month)
{
	return month >= 1 && month <= 12;
}

const char *i18n_month(const char *lang, int month)
{
	return month_ok(month) ? months[lang_index(lang)][month - 1] : "";
}

const char *i18n_month_genitive(const char *lang, int month)
{
	if (!month_ok(month))
		return "";
	if (lang_index(lang) == LANG_RU)
		return months_gen_ru[month - 1];
	return months[LANG_EN][month - 1];
}

void i18n_month_year(struct buf *out, const char *lang, int year, int month)
{
	const char *name = "";

	if (month_ok(month))
		name = lang_index(lang) == LANG_RU ? months_title_ru[month - 1]
		                                   : months[LANG_EN][month - 1];
	buf_addf(out, "%s %d", name, year);
}

void i18n_date(struct buf *out, const char *lang, const struct pr_date *d)
{
	buf_addf(out, "%d %s %d", d->day, i18n_month_genitive(lang, d->month),
	         d->year);
	if (lang_index(lang) == LANG_RU)
		buf_adds(out, " г.");
}

void i18n_datetime(struct buf *out, const char *lang, const struct pr_date *d)
{
	i18n_date(out, lang, d);
	buf_addf(out, ", %02d:%02d", d->hour, d->min);
}

/* Russian: 1, 21, 101 take one; 2-4, 22-24 few; 0, 5-20, 25-30 many. */
static const char *plural_suffix(int l, int64_t n)
{
	uint64_t u = n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n;
	unsigned m10 = (unsigned)(u % 10), m100 = (unsigned)(u % 100);

	if (l != LANG_RU)
		return u == 1 ? "_one" : "_many";
	if (m10 == 1 && m100 != 11)
		return "_one";
	if (m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14))
		return "_few";
	return "_many";
}

const char *i18n_plural(const char *lang, const char *key, int64_t n)
{
	char name[64];
	const char *suffix = plural_suffix(lang_index(lang), n);
	size_t klen = key ? strlen(key) : 0, slen = strlen(suffix);

	if (key == NULL || klen + slen >= sizeof(name))
		return key ? key : "";
	memcpy(name, key, klen);
	memcpy(name + klen, suffix, slen + 1);
	if (bsearch(name, rows, NROWS, sizeof(rows[0]), row_cmp) == NULL)
		return key;
	return i18n(lang, name);
}

void i18n_count(struct buf *out, const char *lang, const char *key, int64_t n)
{
	buf_addf(out, "%lld %s", (long long)n, i18n_plural(lang, key, n));
}

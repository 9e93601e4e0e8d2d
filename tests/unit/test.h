/*
 * test.h: the unit-test harness. Each test file defines test functions,
 * lists them in main with TEST_RUN and ends with TEST_DONE(), which prints
 * "N passed, N failed" and exits non-zero on any failure.
 */
#ifndef PR_TEST_H
#define PR_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int test_passed, test_failed, test_current_failed;

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
			        __LINE__, #cond);                              \
			test_current_failed = 1;                               \
		}                                                              \
	} while (0)

#define CHECK_STR(a, b)                                                        \
	do {                                                                   \
		const char *a_ = (a), *b_ = (b);                               \
		if (!a_ || !b_ || strcmp(a_, b_) != 0) {                       \
			fprintf(stderr, "%s:%d: \"%s\" != \"%s\"\n", __FILE__, \
			        __LINE__, a_ ? a_ : "(null)",                  \
			        b_ ? b_ : "(null)");                           \
			test_current_failed = 1;                               \
		}                                                              \
	} while (0)

#define CHECK_INT(a, b)                                                        \
	do {                                                                   \
		long long a_ = (long long)(a), b_ = (long long)(b);            \
		if (a_ != b_) {                                                \
			fprintf(stderr, "%s:%d: %s == %lld, expected %lld\n",  \
			        __FILE__, __LINE__, #a, a_, b_);               \
			test_current_failed = 1;                               \
		}                                                              \
	} while (0)

#define TEST_RUN(fn)                                                           \
	do {                                                                   \
		test_current_failed = 0;                                       \
		fn();                                                          \
		if (test_current_failed) {                                     \
			test_failed++;                                         \
			fprintf(stderr, "FAIL %s\n", #fn);                     \
		} else {                                                       \
			test_passed++;                                         \
		}                                                              \
	} while (0)

#define TEST_DONE()                                                            \
	do {                                                                   \
		printf("%d passed, %d failed\n", test_passed, test_failed);    \
		return test_failed ? 1 : 0;                                    \
	} while (0)

#endif

/*
 * Unit tests: SIGINT, SIGTERM and SIGHUP held while files are written,
 * then let in (lib/util/signals.c). Each signal is caught by a handler
 * that counts it; the default actions are put back after each test.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/signals.h"

static const int held[] = { SIGINT, SIGTERM, SIGHUP };
#define NHELD	3

static volatile sig_atomic_t got[NSIG];

static void
count(int sig)
{
	got[sig]++;
}

static int
setup(void **state)
{
	struct sigaction sa;
	sigset_t none;
	size_t i;

	(void)state;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = count;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < NHELD; i++)
		if (sigaction(held[i], &sa, NULL) == -1)
			return -1;
	if (sigaction(SIGUSR1, &sa, NULL) == -1 ||
	    sigaction(SIGUSR2, &sa, NULL) == -1)
		return -1;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	memset((void *)got, 0, sizeof(got));
	return 0;
}

static int
teardown(void **state)
{
	sigset_t none;
	size_t i;

	(void)state;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (i = 0; i < NHELD; i++)
		signal(held[i], SIG_DFL);
	signal(SIGUSR1, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);
	return 0;
}

static int
blocked(int sig)
{
	sigset_t now;

	sigprocmask(SIG_BLOCK, NULL, &now);
	return sigismember(&now, sig);
}

static int
pending(int sig)
{
	sigset_t set;

	sigpending(&set);
	return sigismember(&set, sig);
}

/* Each of the three, raised while held, waits; release lets it in
   before it returns. */
static void
held_then_released(void **state)
{
	sigset_t old;
	size_t i;

	(void)state;
	for (i = 0; i < NHELD; i++) {
		int sig = held[i];

		ps_signals_hold(&old);
		assert_true(blocked(sig));
		assert_int_equal(raise(sig), 0);
		assert_int_equal(got[sig], 0);
		assert_true(pending(sig));
		ps_signals_release(&old);
		assert_int_equal(got[sig], 1);
		assert_false(pending(sig));
		assert_false(blocked(sig));
	}
}

/* All three at once, and one of them twice: each delivered (a signal
   pending twice is delivered once). */
static void
all_three_held_together(void **state)
{
	sigset_t old;
	size_t i;

	(void)state;
	ps_signals_hold(&old);
	for (i = 0; i < NHELD; i++)
		raise(held[i]);
	raise(SIGTERM);
	for (i = 0; i < NHELD; i++)
		assert_int_equal(got[held[i]], 0);
	ps_signals_release(&old);
	for (i = 0; i < NHELD; i++)
		assert_int_equal(got[held[i]], 1);
}

/* Other signals are not held. */
static void
others_pass(void **state)
{
	sigset_t old;

	(void)state;
	ps_signals_hold(&old);
	assert_false(blocked(SIGUSR1));
	raise(SIGUSR1);
	assert_int_equal(got[SIGUSR1], 1);
	ps_signals_release(&old);
	assert_int_equal(got[SIGUSR1], 1);
}

/*
 * Release puts back the mask hold found: a signal the caller had
 * blocked before stays blocked, and a hold inside a hold keeps the
 * three held until the outer release.
 */
static void
release_restores_the_mask(void **state)
{
	sigset_t usr2, outer, inner;

	(void)state;
	sigemptyset(&usr2);
	sigaddset(&usr2, SIGUSR2);
	sigprocmask(SIG_BLOCK, &usr2, NULL);
	ps_signals_hold(&outer);
	assert_true(sigismember(&outer, SIGUSR2));
	assert_false(sigismember(&outer, SIGINT));
	ps_signals_hold(&inner);
	raise(SIGINT);
	ps_signals_release(&inner);
	assert_int_equal(got[SIGINT], 0);	/* still held: the outer hold */
	assert_true(blocked(SIGINT));
	ps_signals_release(&outer);
	assert_int_equal(got[SIGINT], 1);
	assert_true(blocked(SIGUSR2));
	raise(SIGUSR2);
	assert_int_equal(got[SIGUSR2], 0);
	sigprocmask(SIG_UNBLOCK, &usr2, NULL);
	assert_int_equal(got[SIGUSR2], 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(held_then_released, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(all_three_held_together, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(others_pass, setup, teardown),
		cmocka_unit_test_setup_teardown(release_restores_the_mask,
		    setup, teardown),
	};

	return cmocka_run_group_tests_name("signals", tests, NULL, NULL);
}

/* signals: see signals.h. */
#include <signal.h>

#include "util/signals.h"

void
ps_signals_hold(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, old);
}

void
ps_signals_release(const sigset_t *old)
{
	sigprocmask(SIG_SETMASK, old, NULL);
}

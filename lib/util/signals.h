/*
 * signals: the three that end a command at a terminal or from cron
 * (SIGINT, SIGTERM, SIGHUP), held while files are written, so that one
 * ends the process only once the write is done or given up and its temp
 * files are gone (a transaction holds them while it writes a blob, and
 * from ps_txn_commit() until ps_txn_free()); release lets a held one in.
 *
 * Calling sequence: sigset_t m; ps_signals_hold(&m); ...;
 * ps_signals_release(&m). Nothing is allocated.
 * Neither can fail: sigprocmask() on these signals does not.
 */
#ifndef PS_SIGNALS_H
#define PS_SIGNALS_H

#include <signal.h>

void	 ps_signals_hold(sigset_t *old);
void	 ps_signals_release(const sigset_t *old);

#endif

#!/bin/sh
# weekly-report.sh: mail last week's peer support report, from cron.
#
#	REPORT_TO=board@example.org weekly-report.sh [-n]
#
# Runs ps-report for the last complete week of the store named by
# PS_STORE (or found from the current directory, as every ps- tool does)
# and mails it, as plain text, to REPORT_TO with mail(1), else with
# sendmail, under the subject "Peer support weekly report, FROM to UNTIL".
# Quiet when all went well, so that cron sends nothing; when the report
# or the mail fails, says why on stderr (which cron mails to the owner of
# the crontab) and exits non-zero: the status of ps-report when it failed,
# 2 for a usage error, 3 when no mail could be sent.
#
# -n prints the mail on stdout instead of sending it, for a test.
set -u

prog=${0##*/}
usage="usage: $prog [-n]"

die() {	# status message
	printf '%s: %s\n' "$prog" "$2" >&2
	exit "$1"
}

dry=0
while getopts :nh opt; do
	case $opt in
	n) dry=1 ;;
	h) printf '%s\n' "$usage"; exit 0 ;;
	*) printf '%s: unknown option -%s\n%s\n' "$prog" "$OPTARG" "$usage" >&2
	   exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] || { printf '%s: too many operands\n%s\n' "$prog" "$usage" >&2; exit 2; }

to=${REPORT_TO:-}
case $to in
-*|*'
'*)	die 2 "REPORT_TO: not a mail address" ;;
esac
[ -n "$to" ] || [ "$dry" = 1 ] ||
    die 2 "REPORT_TO is not set: give the address the report goes to"

umask 077
tmp=$(mktemp "${TMPDIR:-/tmp}/weekly-report.XXXXXX") ||
    die 3 "cannot make a temporary file"
trap 'rm -f "$tmp"' EXIT
trap 'exit 3' HUP INT TERM

# ps-report says what went wrong on stderr itself; add what it means.
ps-report --week last >"$tmp"
rc=$?
case $rc in
0)	;;
126|127) die 3 "cannot run ps-report: is it in PATH ($PATH)?" ;;
[123])	die "$rc" "ps-report failed (exit status $rc); no report was mailed" ;;
*)	die 3 "ps-report failed (exit status $rc); no report was mailed" ;;
esac

# The second line: "Report for 2026-11-16 to 2026-11-22 (changes are...".
period=$(sed -n '2s/^Report for \([0-9-]*\) to \([0-9-]*\) .*/\1 to \2/p' "$tmp")
[ -n "$period" ] || die 3 "the report has no period on its second line"
subject="Peer support weekly report, $period"

# The mail as sendmail takes it: headers, a blank line, the report.
message() {
	[ -z "$to" ] || printf 'To: %s\n' "$to"
	printf 'Subject: %s\n' "$subject"
	printf 'MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n'
	cat "$tmp"
}

if [ "$dry" = 1 ]; then
	message
	exit 0
fi

if command -v mail >/dev/null 2>&1; then
	mail -s "$subject" "$to" <"$tmp" ||
	    die 3 "mail failed; the report for $period was not sent"
	exit 0
fi
for sendmail in "$(command -v sendmail 2>/dev/null)" /usr/sbin/sendmail \
    /usr/lib/sendmail; do
	if [ -z "$sendmail" ] || [ ! -x "$sendmail" ]; then continue; fi
	message | "$sendmail" -i -t ||
	    die 3 "sendmail failed; the report for $period was not sent"
	exit 0
done
die 3 "neither mail(1) nor sendmail is installed; the report for $period was not sent"

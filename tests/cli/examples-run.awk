# The output of an example run (examples/*/run.sh, examples/demo.sh),
# made comparable with its expected file; used by examples-run.bats.
#
#   awk -v tmp=DIR -f examples-run.awk
#
# - DIR, where the test ran, reads "<tmp>", and a temporary directory's
#   random suffix (ps-example.XXXXXX, ps-demo.XXXXXX) reads "XXXXXX";
# - a commit hash (40 hexadecimal digits) reads "<commit>";
# - the IDs, drawn at random, become placeholders numbered per kind in the
#   order in which they first appear: P-1, P-2..., V-1..., M-1..., C-1...,
#   G-1.
#
# The rows of a table (lines that begin, after blanks, with an ID) come in
# the order of their IDs in some listings, so in a random order. Each run
# of such rows is sorted: by the row with every ID masked, then by the
# placeholders of the IDs already seen; the IDs first seen in the rows get
# their placeholders in that order. Rows are then in a stable order, even
# where the tools print them by date or score, except the candidate list
# of ps-match, whose order (best score first) is kept. Two rows that
# differ only by IDs never seen before would take their placeholders in
# either order: the examples print none.

BEGIN {
	c = "[0-9A-HJKMNP-TV-Z]"
	idre = "[PVMCG]-" c c c c c c
	hre = ""
	for (i = 0; i < 40; i++)
		hre = hre "[0-9a-f]"
	nrow = 0
	header = ""
}

# s with every occurrence of the text from replaced by to.
function literal(s, from, to,   out, i) {
	if (from == "")
		return s
	out = ""
	while ((i = index(s, from)) > 0) {
		out = out substr(s, 1, i - 1) to
		s = substr(s, i + length(from))
	}
	return out s
}

# s with its IDs rewritten. mode "assign": as placeholders, new ones
# numbered; "key": seen ones as zero-padded placeholders, others as K-~;
# "mask": every one as K-?.
function rewrite(s, mode,   out, id, k, b, a, rep) {
	out = ""
	while (match(s, idre)) {
		b = RSTART > 1 ? substr(s, RSTART - 1, 1) : ""
		a = substr(s, RSTART + 8, 1)
		if (b ~ /[A-Za-z0-9_-]/ || a ~ /[A-Za-z0-9_]/) {
			out = out substr(s, 1, RSTART)
			s = substr(s, RSTART + 1)
			continue
		}
		id = substr(s, RSTART, 8)
		k = substr(id, 1, 1)
		if (mode == "mask")
			rep = k "-?"
		else if (id in ph)
			rep = mode == "key" ? sprintf("%s-%06d", k, num[id]) : ph[id]
		else if (mode == "key")
			rep = k "-~"
		else {
			n[k]++
			num[id] = n[k]
			ph[id] = k "-" n[k]
			rep = ph[id]
		}
		out = out substr(s, 1, RSTART - 1) rep
		s = substr(s, RSTART + 8)
	}
	return out s
}

function flush(   i, j, t, tk) {
	if (nrow == 0)
		return
	if (header !~ /^VOLUNTEER +SCORE/) {
		for (i = 1; i <= nrow; i++)
			key[i] = rewrite(row[i], "mask") "\t" rewrite(row[i], "key")
		for (i = 2; i <= nrow; i++)	# insertion sort: stable
			for (j = i; j > 1 && key[j - 1] > key[j]; j--) {
				t = row[j]; row[j] = row[j - 1]; row[j - 1] = t
				tk = key[j]; key[j] = key[j - 1]; key[j - 1] = tk
			}
	}
	for (i = 1; i <= nrow; i++)
		print rewrite(row[i], "assign")
	nrow = 0
}

{
	line = literal($0, tmp, "<tmp>")
	gsub(/ps-example\.[A-Za-z0-9]+/, "ps-example.XXXXXX", line)
	gsub(/ps-demo\.[A-Za-z0-9]+/, "ps-demo.XXXXXX", line)
	gsub(hre, "<commit>", line)
	if (match(line, "^ *" idre) && substr(line, RLENGTH + 1, 1) ~ /^( |)$/) {
		if (nrow > 0 && RLENGTH != indent)
			flush()
		indent = RLENGTH
		row[++nrow] = line
		next
	}
	flush()
	header = line
	print rewrite(line, "assign")
}

END {
	flush()
}

/*
 * lemon-peer: solve an assign-bench instance with LEMON's network
 * simplex, the peer lib/rules/assign.c is measured against.
 *
 *	lemon-peer instance.txt
 *
 * The instance (assign-bench -o, or the one ps-match writes when
 * PS_MATCH_DUMP names a file) is "n m", m capacities one a line, then
 * "i j score" an edge a line; lines that start with # are skipped. The
 * problem is lib/rules/assign.c's, as a minimum-cost flow: a unit of supply at
 * each participant, which reaches the sink through a volunteer (an arc
 * of capacity 1 and cost minus the score, in whole millionths, rounded
 * as lib/rules/assign.c rounds) and that volunteer's arc to the sink (its
 * capacity), or straight (cost 0: unmatched). A pair whose score rounds
 * to zero or less is left out, as lib/rules/assign.c leaves it; a pair given
 * twice becomes two parallel arcs, of which the flow takes the better.
 *
 * Prints "lemon n=... m=... edges=... total=... time=... ms": the optimal
 * total, and the time to build the graph and run the simplex (not to
 * read the file), as assign-bench -i and assign-peer.py time theirs.
 * Exit status 0, 1 for an unreadable instance or an infeasible problem.
 */
/* GCC finds a maybe-uninitialized value in LEMON's use of std::vector */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#include <chrono>
#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

typedef lemon::SmartDigraph Graph;
typedef lemon::NetworkSimplex<Graph, int, int64_t> Simplex;

struct edge {
	long	 i, j;
	int64_t	 w;		/* millionths, positive */
};

static void
die(const char *file, const char *what)
{
	std::fprintf(stderr, "lemon-peer: %s: %s\n", file, what);
	std::exit(1);
}

/* n, m, the capacities and the edges worth using, from file. */
static void
load(const char *file, long &n, long &m, std::vector<int> &cap,
    std::vector<edge> &edges, long &given)
{
	char line[256];
	long i, j;
	double score;
	int c, head = 0;
	FILE *f;

	if ((f = std::fopen(file, "r")) == NULL)
		die(file, std::strerror(errno));
	while (std::fgets(line, sizeof(line), f) != NULL) {
		if (line[0] == '#')
			continue;
		if (!head) {
			if (std::sscanf(line, "%ld %ld", &n, &m) != 2 || n < 0 ||
			    m < 0)
				die(file, "not an instance (no \"n m\")");
			head = 1;
		} else if ((long)cap.size() < m) {
			if (std::sscanf(line, "%d", &c) != 1 || c < 0)
				die(file, "not an instance (a capacity)");
			cap.push_back(c);
		} else if (std::sscanf(line, "%ld %ld %lf", &i, &j, &score) !=
		    3 || i < 0 || i >= n || j < 0 || j >= m)
			die(file, "not an instance (an edge)");
		else {
			/* lib/rules/assign.c's rounding, to the same millionths */
			int64_t w = score > 0 ? (int64_t)(score * 1e6 + 0.5) : 0;

			given++;
			if (w > 0)
				edges.push_back(edge{ i, j, w });
		}
	}
	if (!head || (long)cap.size() != m || std::ferror(f))
		die(file, "not an instance (cut short)");
	std::fclose(f);
}

int
main(int argc, char *argv[])
{
	std::vector<int> cap;
	std::vector<edge> edges;
	long n = 0, m = 0, given = 0, i;

	if (argc != 2) {
		std::fputs("usage: lemon-peer instance.txt\n", stderr);
		return 2;
	}
	load(argv[1], n, m, cap, edges, given);

	auto t0 = std::chrono::steady_clock::now();
	Graph g;
	g.reserveNode((int)(n + m + 1));
	g.reserveArc((int)(edges.size() + n + m));
	std::vector<Graph::Node> left(n), right(m);
	for (i = 0; i < n; i++)
		left[i] = g.addNode();
	for (i = 0; i < m; i++)
		right[i] = g.addNode();
	Graph::Node sink = g.addNode();
	Graph::ArcMap<int> upper(g);
	Graph::ArcMap<int64_t> cost(g);
	Graph::NodeMap<int> supply(g, 0);
	for (const edge &e : edges) {
		Graph::Arc a = g.addArc(left[e.i], right[e.j]);
		upper[a] = 1;
		cost[a] = -e.w;
	}
	for (i = 0; i < n; i++) {
		Graph::Arc a = g.addArc(left[i], sink);
		upper[a] = 1;
		cost[a] = 0;
		supply[left[i]] = 1;
	}
	for (i = 0; i < m; i++) {
		Graph::Arc a = g.addArc(right[i], sink);
		upper[a] = cap[i];
		cost[a] = 0;
	}
	supply[sink] = (int)-n;

	Simplex ns(g);
	ns.upperMap(upper).costMap(cost).supplyMap(supply);
	if (ns.run() != Simplex::OPTIMAL)
		die(argv[1], "no optimal flow (a bug here)");
	double ms = std::chrono::duration<double, std::milli>(
	    std::chrono::steady_clock::now() - t0).count();

	int64_t total = -ns.totalCost();
	long matched = 0;
	for (i = 0; i < (long)edges.size(); i++)
		matched += ns.flow(g.arcFromId((int)i));
	std::printf("lemon n=%ld m=%ld edges=%ld matched=%ld total=%" PRId64
	    ".%06" PRId64 " time=%.1f ms\n", n, m, given, matched,
	    total / 1000000, total % 1000000, ms);
	return 0;
}

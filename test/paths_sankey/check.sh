#!/usr/bin/env bash
# test/paths_sankey/check.sh: scripts/paths_sankey.pl draws the expected SVG.
#   * a tiny edge list (edges.csv: a node name with a comma, quotes, & and <)
#     gives exactly expected.svg, and the same bytes with its rows reversed;
#   * the output is well-formed XML (a structural check in Perl: balanced
#     tags, quoted attributes, only the five XML entities and numeric
#     references; and xmllint --noout when it is installed) with one <svg>
#     root in the SVG namespace, one band per edge and one bar per node;
#   * a header-only list gives a well-formed SVG saying "no edges"; a
#     missing header, a bad count, a bad step, a repeated edge and an
#     unterminated quote are refused with exit status 1;
#   * with a server (PG* variables; scripts/test-inside.sh runs this in
#     pg_virtualenv), doc/images/paths_sankey.svg is what
#     scripts/paths_chart.sh draws from doc/paths.md's own edge list now.
# Prints TAP; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/../.."
here=test/paths_sankey
work=$(mktemp -d)
trap 'rm -rf "${work}"' EXIT

n=0
status=0
ok() { n=$((n + 1)); echo "ok ${n} - $1"; }
not_ok() { n=$((n + 1)); echo "not ok ${n} - $1"; status=1; }
check() { local name=$1; shift; if "$@"; then ok "${name}"; else not_ok "${name}"; fi; }

# Well-formedness: a small XML checker (no DTD, no CDATA, no comments
# needed here).  Prints what is wrong and exits 1.
well_formed() {
    perl -e '
        use strict; use warnings;
        local $/; my $x = <STDIN>;
        $x =~ s/\A<\?xml version="1\.0" encoding="UTF-8"\?>\n// or die "no XML declaration\n";
        my @stack; my $roots = 0; my $pos = 0;
        while ($x =~ /\G(?:(<\/([A-Za-z][\w:.-]*)\s*>)|(<([A-Za-z][\w:.-]*)((?:\s+[A-Za-z][\w:.-]*\s*=\s*(?:"[^"<]*"|\x27[^\x27<]*\x27))*)\s*(\/?)>)|([^<]+))/gc) {
            if (defined $1) {
                my $open = pop @stack;
                die "</$2> closes " . ($open // "nothing") . "\n" unless defined $open && $open eq $2;
            } elsif (defined $3) {
                my ($name, $attrs, $empty) = ($4, $5, $6);
                die "text or a second root outside the root\n" if !@stack && $roots++;
                my %seen;
                while ($attrs =~ /([A-Za-z][\w:.-]*)\s*=\s*(?:"([^"]*)"|\x27([^\x27]*)\x27)/g) {
                    die "attribute $1 repeated in <$name>\n" if $seen{$1}++;
                    my $v = defined $2 ? $2 : $3;
                    die "bad reference in $1=\"$v\"\n" if $v =~ /&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)/;
                }
                push @stack, $name unless $empty;
            } else {
                my $t = $7;
                die "text outside the root element\n" if !@stack && $t =~ /\S/;
                die "bad reference in text \"$t\"\n" if $t =~ /&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)/;
                die "> in text\n" if $t =~ />/;
            }
            $pos = pos($x);
        }
        die "cannot parse at byte $pos: " . substr($x, $pos, 40) . "\n" if $pos < length $x;
        die "unclosed <$stack[-1]>\n" if @stack;
        die "no root element\n" unless $roots;
        $x =~ /\A<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*>/ or die "the root is not <svg> in the SVG namespace\n";
    ' <"$1" || return 1
    if command -v xmllint >/dev/null 2>&1; then
        xmllint --noout "$1" || return 1
    fi
}

sankey() { perl scripts/paths_sankey.pl "$@"; }

# the tiny edge list
sankey --title 'Paths after view' <"${here}/edges.csv" >"${work}/tiny.svg" 2>"${work}/tiny.err"
check "the tiny edge list is drawn without error" test -s "${work}/tiny.svg" -a ! -s "${work}/tiny.err"
if diff -u "${here}/expected.svg" "${work}/tiny.svg" >"${work}/tiny.diff"; then
    ok "the tiny edge list gives expected.svg"
else
    not_ok "the tiny edge list gives expected.svg"
    sed 's/^/#   /' "${work}/tiny.diff"
fi
{ head -1 "${here}/edges.csv"; tail -n +2 "${here}/edges.csv" | tac; } \
    | sankey --title 'Paths after view' >"${work}/reversed.svg"
check "the output does not depend on the order of the rows" cmp -s "${work}/tiny.svg" "${work}/reversed.svg"
if msg=$(well_formed "${work}/tiny.svg" 2>&1); then
    ok "the SVG is well-formed"
else
    not_ok "the SVG is well-formed: ${msg}"
fi
edges=$(($(wc -l <"${here}/edges.csv") - 1))
bands=$(grep -c '^<path ' "${work}/tiny.svg")
check "one band per edge (${bands} for ${edges})" test "${bands}" -eq "${edges}"
# nodes: distinct (column, name) pairs of the edge list
nodes=$(perl -ne 'next if $. == 1; my ($s, $rest) = split /,/, $_, 2; $rest =~ /\A("(?:[^"]|"")*"|[^,]*),("(?:[^"]|"")*"|[^,]*),/ or next; $n{"$s $1"} = 1; $n{($s + 1) . " $2"} = 1; END { print scalar(keys %n), "\n" }' "${here}/edges.csv")
bars=$(grep -c '^<rect .*<title>' "${work}/tiny.svg")
check "one bar per node (${bars} for ${nodes})" test "${bars}" -eq "${nodes}"
check "a node name with markup characters is escaped" \
    grep -q '>Add to cart, &quot;fast&quot; &amp; &lt;now&gt; <tspan' "${work}/tiny.svg"

# no edges
head -1 "${here}/edges.csv" | sankey >"${work}/empty.svg"
if [ $? -eq 0 ] && well_formed "${work}/empty.svg" && grep -q '>no edges<' "${work}/empty.svg"; then
    ok "a header-only edge list gives a well-formed SVG saying no edges"
else
    not_ok "a header-only edge list gives a well-formed SVG saying no edges"
fi

# bad input is refused
refused() {
    local name=$1 input=$2
    if printf '%b' "${input}" | sankey >/dev/null 2>"${work}/err"; then
        not_ok "refused: ${name} (accepted)"
    elif [ ! -s "${work}/err" ]; then
        not_ok "refused: ${name} (no message)"
    else
        ok "refused: ${name}: $(head -1 "${work}/err")"
    fi
}
refused "no header" '1,view,cart,3\n'
refused "a count that is not a positive integer" 'step,from_node,to_node,entities\n1,view,cart,3.5\n'
refused "a zero step" 'step,from_node,to_node,entities\n0,view,cart,3\n'
refused "a repeated edge" 'step,from_node,to_node,entities\n1,view,cart,3\n1,view,cart,4\n'
refused "an unterminated quote" 'step,from_node,to_node,entities\n1,"view,cart,3\n'
refused "a short record" 'step,from_node,to_node,entities\n1,view,3\n'

# the document's chart, when a server is there
if psql -X -q -At -c 'SELECT 1' >/dev/null 2>&1; then
    if bash scripts/paths_chart.sh --check >"${work}/chart.out" 2>&1; then
        ok "doc/images/paths_sankey.svg is the chart of doc/paths.md's edge list"
    else
        not_ok "doc/images/paths_sankey.svg is the chart of doc/paths.md's edge list"
        sed 's/^/#   /' "${work}/chart.out" | head -40
    fi
else
    ok "doc/images/paths_sankey.svg is the chart of doc/paths.md's edge list # SKIP no server"
fi

echo "1..${n}"
exit "${status}"

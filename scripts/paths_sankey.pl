#!/usr/bin/perl
# scripts/paths_sankey.pl: draws a Sankey chart of path_edges as SVG.
#
#   psql -X --csv -c "SELECT * FROM path_edges(p) ..." | perl scripts/paths_sankey.pl [--title TEXT] [--height PX] > chart.svg
#
# Reads CSV with the header step,from_node,to_node,entities (what psql
# --csv prints for path_edges; quoted fields allowed) on stdin and writes a
# self-contained SVG on stdout: one column per node position (column k
# holds the k-th nodes of the paths), each node a bar as tall as its
# entities (the larger of what enters it and what leaves it), each edge a
# curved band as thick as its entities, and each node labelled with its
# name and count.  Perl core modules only.  The output depends only on the
# input rows, not on their order.  Bad input: a message on stderr, exit 1.
use strict;
use warnings;
use Getopt::Long qw(GetOptions);

my $title  = '';
my $height = 360;
GetOptions('title=s' => \$title, 'height=i' => \$height)
    or die "usage: paths_sankey.pl [--title TEXT] [--height PX] < edges.csv > chart.svg\n";
die "paths_sankey.pl: --height must be between 100 and 10000\n" if $height < 100 || $height > 10000;

# Layout constants, in pixels.
my $COL_GAP   = 190;    # from one column's bars to the next
my $BAR_W     = 12;     # width of a node's bar
my $NODE_GAP  = 16;     # vertical space between two nodes of a column
my $MARGIN    = 20;
my $LABEL_W   = 170;    # room right of the last column for its labels
my $TITLE_H   = $title eq '' ? 0 : 28;
my @PALETTE   = ('#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2',
                 '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac');

# Splits CSV text into records of fields (RFC 4180: "" is a quote inside a
# quoted field, which may hold commas and line ends).
sub parse_csv {
    my ($text) = @_;
    my (@records, @fields, $field, $quoted);
    $field = '';
    my $i = 0;
    my $n = length $text;
    my $in_quotes = 0;
    $quoted = 0;
    while ($i < $n) {
        my $c = substr($text, $i, 1);
        if ($in_quotes) {
            if ($c eq '"') {
                if ($i + 1 < $n && substr($text, $i + 1, 1) eq '"') {
                    $field .= '"';
                    $i++;
                } else {
                    $in_quotes = 0;
                }
            } else {
                $field .= $c;
            }
        } elsif ($c eq '"' && $field eq '' && !$quoted) {
            $in_quotes = 1;
            $quoted = 1;
        } elsif ($c eq ',') {
            push @fields, $field;
            $field = '';
            $quoted = 0;
        } elsif ($c eq "\n" || $c eq "\r") {
            $i++ if $c eq "\r" && $i + 1 < $n && substr($text, $i + 1, 1) eq "\n";
            push @fields, $field;
            push @records, [@fields];
            @fields = ();
            $field = '';
            $quoted = 0;
        } else {
            die "paths_sankey.pl: a quote inside an unquoted CSV field\n" if $c eq '"';
            $field .= $c;
        }
        $i++;
    }
    die "paths_sankey.pl: unterminated quoted CSV field\n" if $in_quotes;
    if ($field ne '' || @fields || $quoted) {
        push @fields, $field;
        push @records, [@fields];
    }
    return @records;
}

# Escapes text for XML character data and attribute values.
sub xml_escape {
    my ($s) = @_;
    $s =~ s/&/&amp;/g;
    $s =~ s/</&lt;/g;
    $s =~ s/>/&gt;/g;
    $s =~ s/"/&quot;/g;
    $s =~ s/'/&#39;/g;
    # characters XML 1.0 does not allow
    $s =~ s/[\x00-\x08\x0B\x0C\x0E-\x1F]/\x{FFFD}/g;
    return $s;
}

# A number with one decimal, so that the output is the same on every machine.
sub px { return sprintf('%.1f', $_[0]); }

# An integer with thousands separators.
sub count_text {
    my $s = reverse $_[0];
    $s =~ s/(\d{3})(?=\d)/$1,/g;
    return scalar reverse $s;
}

# Read and check the edge list.
binmode(STDIN, ':encoding(UTF-8)');
binmode(STDOUT, ':encoding(UTF-8)');
my $input = do { local $/; <STDIN> };
$input = '' unless defined $input;
my @records = parse_csv($input);
my $header = shift @records;
die "paths_sankey.pl: expected the header step,from_node,to_node,entities\n"
    unless $header && join(',', @$header) eq 'step,from_node,to_node,entities';

my @edges;
my %seen;
my $line = 1;
for my $r (@records) {
    $line++;
    die "paths_sankey.pl: record $line has " . scalar(@$r) . " fields, not 4\n" unless @$r == 4;
    my ($step, $from, $to, $entities) = @$r;
    die "paths_sankey.pl: record $line: step \"$step\" is not a positive integer\n"
        unless $step =~ /\A[1-9][0-9]{0,5}\z/;
    die "paths_sankey.pl: record $line: entities \"$entities\" is not a positive integer\n"
        unless $entities =~ /\A[1-9][0-9]{0,17}\z/;
    die "paths_sankey.pl: record $line: the edge $step \"$from\" -> \"$to\" is repeated\n"
        if $seen{"$step\0$from\0$to"}++;
    push @edges, { step => $step + 0, from => $from, to => $to, n => $entities + 0 };
}

# Nodes: column k holds the k-th nodes; a node's value is the larger of
# what enters it and what leaves it.
my (%in, %out, %node_cols);
my $columns = 0;
for my $e (@edges) {
    $out{ $e->{step} }{ $e->{from} } += $e->{n};
    $in{ $e->{step} + 1 }{ $e->{to} } += $e->{n};
    $columns = $e->{step} + 1 if $e->{step} + 1 > $columns;
}
my (@col_nodes, %value, %total_by_name);
for my $c (1 .. $columns) {
    my %names = map { $_ => 1 } (keys %{ $in{$c} || {} }, keys %{ $out{$c} || {} });
    for my $name (keys %names) {
        my $v = $in{$c}{$name} // 0;
        my $o = $out{$c}{$name} // 0;
        $value{$c}{$name} = $v > $o ? $v : $o;
        $total_by_name{$name} += $value{$c}{$name};
    }
    # bigger nodes first, then by name (bytewise)
    $col_nodes[$c] = [ sort { $value{$c}{$b} <=> $value{$c}{$a} || $a cmp $b } keys %names ];
}

# One colour per node name, the names with the most entities first.
my %colour;
my $k = 0;
for my $name (sort { $total_by_name{$b} <=> $total_by_name{$a} || $a cmp $b } keys %total_by_name) {
    $colour{$name} = $PALETTE[ $k++ % @PALETTE ];
}

# Scale: the fullest column (entities plus gaps) fills the height.
my $scale;
for my $c (1 .. $columns) {
    my $sum = 0;
    $sum += $value{$c}{$_} for @{ $col_nodes[$c] };
    my $room = $height - $NODE_GAP * (@{ $col_nodes[$c] } - 1);
    $room = 20 if $room < 20;
    my $s = $room / $sum;
    $scale = $s if !defined $scale || $s < $scale;
}

# Node positions: x of the bar, y of its top, its height.
my (%x, %y, %h);
my $chart_h = 0;
for my $c (1 .. $columns) {
    my $top = $MARGIN + $TITLE_H;
    for my $name (@{ $col_nodes[$c] }) {
        my $hh = $value{$c}{$name} * $scale;
        $hh = 1 if $hh < 1;
        ($x{$c}{$name}, $y{$c}{$name}, $h{$c}{$name}) = ($MARGIN + ($c - 1) * $COL_GAP, $top, $hh);
        $top += $hh + $NODE_GAP;
    }
    my $bottom = $top - $NODE_GAP;
    $chart_h = $bottom if $bottom > $chart_h;
}
my %rank;
for my $c (1 .. $columns) {
    my $i = 0;
    $rank{$c}{$_} = $i++ for @{ $col_nodes[$c] };
}

my $width = $columns == 0 ? 300 : $MARGIN * 2 + ($columns - 1) * $COL_GAP + $BAR_W + $LABEL_W;
my $svg_h = $columns == 0 ? 80 : $chart_h + $MARGIN;

my @out;
push @out, '<?xml version="1.0" encoding="UTF-8"?>';
push @out, sprintf('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="11">',
                   $width, int($svg_h + 0.999), $width, int($svg_h + 0.999));
push @out, '<title>' . xml_escape($title eq '' ? 'Paths' : $title) . '</title>';
push @out, sprintf('<rect x="0" y="0" width="%d" height="%d" fill="#ffffff"/>', $width, int($svg_h + 0.999));
push @out, sprintf('<text x="%d" y="%d" font-size="14" font-weight="bold">%s</text>', $MARGIN, $MARGIN + 8, xml_escape($title))
    if $title ne '';
if ($columns == 0) {
    push @out, sprintf('<text x="%d" y="%d">no edges</text>', $MARGIN, $MARGIN + $TITLE_H + 20);
}

# Edges: leave each node in the order of their targets, enter each node in
# the order of their sources, so bands do not cross at the bars.
my (%out_off, %in_off);
my @sorted = sort {
    $a->{step} <=> $b->{step}
        || $rank{ $a->{step} }{ $a->{from} } <=> $rank{ $b->{step} }{ $b->{from} }
        || $rank{ $a->{step} + 1 }{ $a->{to} } <=> $rank{ $b->{step} + 1 }{ $b->{to} }
} @edges;
my %in_order;
for my $e (sort {
               $a->{step} <=> $b->{step}
                   || $rank{ $a->{step} + 1 }{ $a->{to} } <=> $rank{ $b->{step} + 1 }{ $b->{to} }
                   || $rank{ $a->{step} }{ $a->{from} } <=> $rank{ $b->{step} }{ $b->{from} }
           } @edges) {
    my ($c, $to) = ($e->{step} + 1, $e->{to});
    $in_order{"$e->{step}\0$e->{from}\0$to"} = $in_off{$c}{$to} // 0;
    $in_off{$c}{$to} += $e->{n} * $scale;
}
push @out, '<g fill-opacity="0.35">';
for my $e (@sorted) {
    my ($c, $from, $to) = ($e->{step}, $e->{from}, $e->{to});
    my $t = $e->{n} * $scale;
    my $x0 = $x{$c}{$from} + $BAR_W;
    my $y0 = $y{$c}{$from} + ($out_off{$c}{$from} // 0);
    my $x1 = $x{ $c + 1 }{$to};
    my $y1 = $y{ $c + 1 }{$to} + $in_order{"$c\0$from\0$to"};
    $out_off{$c}{$from} += $t;
    my $xm = ($x0 + $x1) / 2;
    push @out, sprintf('<path d="M%s %s C%s %s %s %s %s %sL%s %sC%s %s %s %s %s %sZ" fill="%s"><title>%s</title></path>',
                       px($x0), px($y0), px($xm), px($y0), px($xm), px($y1), px($x1), px($y1),
                       px($x1), px($y1 + $t), px($xm), px($y1 + $t), px($xm), px($y0 + $t), px($x0), px($y0 + $t),
                       $colour{$from},
                       xml_escape("step $c: $from \x{2192} $to: " . count_text($e->{n})));
}
push @out, '</g>';

# Nodes and their labels (after the bands, so the labels stay readable).
for my $c (1 .. $columns) {
    for my $name (@{ $col_nodes[$c] }) {
        my ($nx, $ny, $nh) = ($x{$c}{$name}, $y{$c}{$name}, $h{$c}{$name});
        push @out, sprintf('<rect x="%s" y="%s" width="%d" height="%s" fill="%s"><title>%s</title></rect>',
                           px($nx), px($ny), $BAR_W, px($nh), $colour{$name},
                           xml_escape("$name: " . count_text($value{$c}{$name})));
        push @out, sprintf('<text x="%s" y="%s" dominant-baseline="middle" stroke="#ffffff" stroke-width="3" paint-order="stroke">%s <tspan font-weight="bold">%s</tspan></text>',
                           px($nx + $BAR_W + 4), px($ny + $nh / 2), xml_escape($name), count_text($value{$c}{$name}));
    }
}
push @out, '</svg>';
print map { "$_\n" } @out;

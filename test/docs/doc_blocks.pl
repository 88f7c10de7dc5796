#!/usr/bin/perl
# test/docs/doc_blocks.pl: the Markdown side of test/docs/check.sh (read its
# header for the conventions).  Plain Perl 5, no modules beyond the core.
#
#   perl doc_blocks.pl links DOC            the local .md files DOC links, in order
#   perl doc_blocks.pl extract DOC DIR      DIR/script.sql, DIR/blocks, DIR/expected.N
#   perl doc_blocks.pl split DIR            DIR/actual.raw -> DIR/actual.N (normalised)
#   perl doc_blocks.pl update DOC DIR       rewrite DOC's output fences from DIR/actual.N
use strict;
use warnings;

my $MARKER = '<<<docs-check block';

# Reads a file into a list of lines without their line ends.
sub read_lines {
    my ($path) = @_;
    open(my $fh, '<:raw', $path) or die "cannot read $path: $!\n";
    my @lines = map { s/\r?\n\z//r } <$fh>;
    close($fh);
    return @lines;
}

# Writes lines, each followed by a newline.
sub write_lines {
    my ($path, @lines) = @_;
    open(my $fh, '>:raw', $path) or die "cannot write $path: $!\n";
    print {$fh} map { "$_\n" } @lines;
    close($fh) or die "cannot write $path: $!\n";
}

# The comparison form of an output: trailing blanks of each line and
# leading and trailing empty lines removed.
sub normalise {
    my @lines = map { s/\s+\z//r } @_;
    shift @lines while @lines && $lines[0] eq '';
    pop @lines while @lines && $lines[-1] eq '';
    return @lines;
}

# Every fenced block of a Markdown document, in order: its info string, the
# indentation and backticks of its opening fence, the 0-based indexes of
# its opening and closing fence lines, and its content with the fence's
# indentation removed.  Fences may be indented (inside list items).
sub fences {
    my @lines = @_;
    my @blocks;
    my $open;
    for my $i (0 .. $#lines) {
        my $line = $lines[$i];
        if (!$open) {
            next unless $line =~ /^( *)(`{3,})\s*([^`]*?)\s*$/;
            $open = { indent => length($1), ticks => length($2), info => $3,
                      open => $i, content => [] };
        } elsif ($line =~ /^ *(`{3,})\s*$/ && length($1) >= $open->{ticks}) {
            $open->{close} = $i;
            push @blocks, $open;
            $open = undef;
        } else {
            my $strip = $open->{indent};
            $line =~ s/^ {0,$strip}//;
            push @{ $open->{content} }, $line;
        }
    }
    die "unclosed ``` fence opened at line " . ($open->{open} + 1) . "\n" if $open;
    return @blocks;
}

# The SQL blocks to run, each with the plain fence that shows its output
# (the next fence, when it is plain and only blank lines come between).
sub sql_blocks {
    my @lines = @_;
    my @fences = fences(@lines);
    my @sql;
    for my $k (0 .. $#fences) {
        my $f = $fences[$k];
        my ($lang, @words) = split /\s+/, $f->{info};
        next unless defined $lang && $lang eq 'sql';
        my $next = $fences[$k + 1];
        my $output;
        if ($next && $next->{info} eq ''
            && !grep { /\S/ } @lines[$f->{close} + 1 .. $next->{open} - 1]) {
            $output = $next;
        }
        push @sql, { %$f, norun => (grep { $_ eq 'norun' } @words) ? 1 : 0,
                     output => $output };
    }
    return @sql;
}

my $cmd = shift @ARGV // '';

if ($cmd eq 'links') {
    my ($doc) = @ARGV;
    my $dir = ($doc =~ m{^(.*)/}) ? "$1/" : '';
    my %seen;
    for my $line (read_lines($doc)) {
        while ($line =~ /\]\(([^)\s#]+\.md)(?:#[^)]*)?\)/g) {
            my $path = "$dir$1";
            next if $path =~ m{^[a-z]+:} || $seen{$path}++ || $path eq $doc || !-f $path;
            print "$path\n";
        }
    }
} elsif ($cmd eq 'extract') {
    my ($doc, $dir) = @ARGV;
    my @lines = read_lines($doc);
    my @blocks = sql_blocks(@lines);
    my @script = ('CREATE EXTENSION conversions;');
    my @index;
    for my $n (1 .. @blocks) {
        my $b = $blocks[$n - 1];
        my $line = $b->{open} + 1;
        push @index, join("\t", $n, $line, $b->{output} ? 1 : 0, $b->{norun});
        next if $b->{norun};
        push @script, "\\echo '$MARKER $n>>>'", @{ $b->{content} };
        write_lines("$dir/expected.$n", normalise(@{ $b->{output}{content} }))
            if $b->{output};
    }
    push @script, "\\echo '$MARKER end>>>'";
    write_lines("$dir/script.sql", @script);
    write_lines("$dir/blocks", @index);
} elsif ($cmd eq 'split') {
    my ($dir) = @ARGV;
    my %out = (0 => []);
    my $current = 0;
    for my $line (read_lines("$dir/actual.raw")) {
        if ($line =~ /^\Q$MARKER\E (\d+|end)>>>$/) {
            $current = $1;
            $out{$current} = [];
            next;
        }
        # psql names the script and line of a message: drop it, so that a
        # document shows "ERROR:  message" as an interactive session does
        $line =~ s/^psql:[^:]*:\d+: //;
        push @{ $out{$current} }, $line;
    }
    for my $n (keys %out) {
        write_lines("$dir/actual.$n", normalise(@{ $out{$n} }));
    }
} elsif ($cmd eq 'update') {
    my ($doc, $dir) = @ARGV;
    my @lines = read_lines($doc);
    my @blocks = sql_blocks(@lines);
    my $changed = 0;
    # from the last block to the first, so earlier line indexes stay valid;
    # only the blocks whose output differs are touched
    for my $n (reverse 1 .. @blocks) {
        my $b = $blocks[$n - 1];
        next if $b->{norun} || !-f "$dir/actual.$n";
        my @actual = read_lines("$dir/actual.$n");
        my $o = $b->{output};
        my @shown = $o ? normalise(@{ $o->{content} }) : ();
        next if join("\n", @shown) eq join("\n", @actual);
        $changed = 1;
        my $pad = ' ' x $b->{indent};
        my @body = map { $_ eq '' ? '' : "$pad$_" } @actual;
        if ($o && !@actual) {
            # the block prints nothing now: drop its output fence
            splice(@lines, $b->{close} + 1, $o->{close} - $b->{close});
        } elsif ($o) {
            splice(@lines, $o->{open} + 1, $o->{close} - $o->{open} - 1, @body);
        } elsif (@actual) {
            splice(@lines, $b->{close} + 1, 0, "$pad```", @body, "$pad```");
        }
    }
    write_lines($doc, @lines) if $changed;
} else {
    die "usage: doc_blocks.pl links|extract|split|update ...\n";
}

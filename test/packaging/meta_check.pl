#!/usr/bin/perl
# test/packaging/meta_check.pl: META.json against the PGXN Meta Spec 1.0.0
# (https://pgxn.org/spec/): the required keys and their formats, the
# optional ones we use, and that it agrees with the repository (the files it
# names exist; its version is conversions.control's default_version).
# Prints TAP; exits non-zero on any failure.  Core Perl only (JSON::PP).
use strict;
use warnings;
use JSON::PP;

my $n = 0;
my $failed = 0;
sub check {
    my ($ok, $what) = @_;
    $n++;
    print(($ok ? "ok" : "not ok") . " $n - $what\n");
    $failed++ unless $ok;
}

my $semver = qr/^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+)?$/;
my $text = do { local $/; open my $fh, '<', 'META.json' or die "META.json: $!"; <$fh> };
my $meta = eval { JSON::PP->new->decode($text) };
check(ref $meta eq 'HASH', 'META.json is a JSON object');
exit 1 unless ref $meta eq 'HASH';

for my $key (qw(name abstract maintainer license provides meta-spec version)) {
    check(exists $meta->{$key}, "required key $key is present");
}
check(scalar(($meta->{name} // '') =~ /^[^\s\/\\]{2,}$/), 'name has 2+ characters, no blank, slash or backslash');
check(scalar(($meta->{version} // '') =~ $semver), 'version is a semantic version');
check(!ref $meta->{abstract} && length($meta->{abstract} // '') > 0, 'abstract is a non-empty string');
my $m = $meta->{maintainer};
check((!ref $m && length $m) || (ref $m eq 'ARRAY' && @$m && !grep { ref || !length } @$m),
      'maintainer is a string or a non-empty list of strings');
my %licenses = map { $_ => 1 } qw(agpl_3 apache_1_1 apache_2_0 artistic_1 artistic_2 bsd
    freebsd gfdl_1_2 gfdl_1_3 gpl_1 gpl_2 gpl_3 lgpl_2_1 lgpl_3_0 mit mozilla_1_0
    mozilla_1_1 openssl perl_5 postgresql qpl_1_0 ssleay sun zlib restricted
    open_source unrestricted);
check(!ref $meta->{license} && $licenses{$meta->{license} // ''}, 'license is a PGXN license name');
check(ref $meta->{'meta-spec'} eq 'HASH' && ($meta->{'meta-spec'}{version} // '') eq '1.0.0',
      'meta-spec version is 1.0.0');
check(!exists $meta->{release_status} || $meta->{release_status} =~ /^(stable|testing|unstable)$/,
      'release_status is stable, testing or unstable');

my $provides = $meta->{provides};
check(ref $provides eq 'HASH' && keys %$provides, 'provides names at least one extension');
for my $ext (sort keys %{ $provides || {} }) {
    my $p = $provides->{$ext};
    check(ref $p eq 'HASH' && defined $p->{file} && defined $p->{version}, "provides $ext has file and version");
    check(scalar(($p->{version} // '') =~ $semver), "provides $ext version is a semantic version");
    check(-f ($p->{file} // ''), "provides $ext file $p->{file} exists");
    check(!defined $p->{docfile} || -f $p->{docfile}, "provides $ext docfile exists");
}

my %phases = map { $_ => 1 } qw(configure build test runtime develop);
my %relations = map { $_ => 1 } qw(requires recommends suggests conflicts);
my $prereqs = $meta->{prereqs} // {};
my $prereqs_ok = ref $prereqs eq 'HASH';
for my $phase (keys %$prereqs) {
    $prereqs_ok &&= $phases{$phase} && ref $prereqs->{$phase} eq 'HASH';
    for my $rel (keys %{ $prereqs->{$phase} || {} }) {
        $prereqs_ok &&= $relations{$rel} && ref $prereqs->{$phase}{$rel} eq 'HASH';
        for my $v (values %{ $prereqs->{$phase}{$rel} || {} }) {
            $prereqs_ok &&= $v =~ /^(0|(>=|<=|==|!=|<|>)?\s*\d+(\.\d+){0,2}[0-9A-Za-z.-]*)$/;
        }
    }
}
check($prereqs_ok, 'prereqs use known phases, relationships and version ranges');

my $control = do { local $/; open my $fh, '<', 'conversions.control' or die $!; <$fh> };
my ($default) = $control =~ /^default_version\s*=\s*'([^']*)'/m;
check(defined $default && $default eq $meta->{version}, "version equals conversions.control's default_version ($default)");
check(defined $default && ($provides->{conversions}{file} // '') eq "conversions--$default.sql",
      'the provided file is the current install script');
print "1..$n\n";
exit($failed ? 1 : 0);

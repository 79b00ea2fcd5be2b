#!/bin/sh
# Grade one batch as N shards on one machine with GNU parallel, then merge the shards.
#   deploy/grading/parallel.sh EXERCISE SUBMISSIONS_DIR OUT.sqlite [N]
# Each shard is its own process with its own gradebook (SQLite files are never shared
# between writers); --jobs 1 because parallel already runs N at once. Exit 1 from a shard
# means some files were rejected (listed in shards/K.json); anything else is a failure.
set -eu
exercise=$1 subs=$2 out=$3 n=${4:-$(nproc)}
work=$(mktemp -d "${TMPDIR:-/tmp}/coursekit-shards.XXXXXX")

parallel --jobs "$n" --halt now,fail=1 \
  'coursekit grade exercise {1} {2} --gradebook {3}/{4}.sqlite --shard {4}/{5} --jobs 1 --json > {3}/{4}.json; rc=$?; [ $rc -le 1 ]' \
  ::: "$exercise" ::: "$subs" ::: "$work" ::: $(seq 1 "$n") ::: "$n"

coursekit gradebook merge "$out" "$work"/*.sqlite
echo "shard outcomes (one JSON object per submission): $work/*.json"

#!/bin/bash
# Grade one exercise's submissions as a Slurm job array, one shard per task, on a shared
# filesystem; then merge:  coursekit gradebook merge grades.sqlite shards/*.sqlite
#   sbatch deploy/grading/slurm-array.sh gmv-growth /shared/submissions/gmv-growth /shared/shards
#SBATCH --job-name=coursekit-grade
#SBATCH --array=1-16
#SBATCH --cpus-per-task=2
#SBATCH --mem=2G
#SBATCH --time=00:30:00
set -u
exercise=$1 subs=$2 shards=$3
mkdir -p "$shards"
coursekit grade exercise "$exercise" "$subs" --gradebook "$shards/$SLURM_ARRAY_TASK_ID.sqlite" \
  --shard "$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT" --jobs "$SLURM_CPUS_PER_TASK" --json \
  > "$shards/$SLURM_ARRAY_TASK_ID.json"
rc=$?
[ $rc -le 1 ]   # 1: some files were rejected (listed in the .json); the shard is done

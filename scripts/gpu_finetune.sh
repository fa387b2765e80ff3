#!/bin/bash
# Fine-tunes x2, x3 and x4 side by side on one lent GPU for a fixed wall time, then scores each
# result (moving average and raw weights) on Set5/Set14 there.  Prepare here (models/README.md, session 7):
#
#   cd scripts && /usr/bin/python3 -m promptsr_torch.bank --out ../bank \
#       --start ../models/training/promptsr-x{2,3,4}-gpu2/last.pt      # ~60 MB: images, Set5/14, starts
#   scripts/gpu_carry.sh prepare   # the device tool carries 64 MiB: tracked checkpoints leave the index
#   # device run: command "MINUTES=7 scripts/gpu_finetune.sh", carry ["bank"], timeout_s 600
#   scripts/gpu_carry.sh restore   # right after the call
#
# then on the device, from the repository root:  OUT=... MINUTES=7 scripts/gpu_finetune.sh
# OUT gets xS/weights.pt + xS/optimizer.pt (the run's last.pt split to fit the tool's 16 MiB per file; here
# `python3 -m promptsr_torch.parts join DIR/xS RUN/last.pt` makes it resumable) and logs.tar (logs, curves, raw.json).
# PromptSR*: VARIANT=promptsr-star, with the star runs' last.pt as the bank's --start checkpoints and
# `bank --val Set5` (Set14 does not fit beside them; score it here afterwards), as in session 12; the trainers
# then score Set5 alone at the end of the run.
# Run it with the device's own python3 (the first in its PATH, which has torch and numpy): a command that
# put /usr/bin first there found neither and lost a call (session 27).
# PromptSR* x3 from the x2 body grew its gradient norm at LR3=1e-4 (session 27; the guard rolled it back):
# give it 5e-5.
# Memory, measured on an H100 (session 7): 32.2-32.4 GB per process at batch 24 of 64x64 LR patches, so
# three runs of 24 do not fit in 80 GB; the default batch 16 (~22 GB each) does. The learning rate
# halves at 40 %, 65 % and 85 % of the time (--decay-at), so each run ends annealed.
set -u
MINUTES=${MINUTES:-7.5}
BANK=${BANK:-../bank} DEVICE=${DEVICE:-cuda} BATCH=${BATCH:-16} PATCH=${PATCH:-64}  # overridable for a CPU smoke run
VARIANT=${VARIANT:-promptsr}  # promptsr-star: the bank's start-xS.pt must then be PromptSR* checkpoints
: "${OUT:?set OUT to the folder that receives the results}"
export PYTHONUNBUFFERED=1 PYTORCH_CUDA_ALLOC_CONF=expandable_segments:True
cd "$(dirname "$0")"
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader 2>&1
declare -A LR=([2]=${LR2:-2e-4} [3]=${LR3:-2e-4} [4]=${LR4:-1.5e-4})
pids=()
for s in ${SCALES:-2 3 4}; do
  mkdir -p /tmp/gpu/x$s "$OUT/x$s"
  timeout $(python3 -c "print(int($MINUTES * 60 + 100))") \
    python3 -m promptsr_torch.train --scale $s --variant $VARIANT --init $BANK/start-x$s.pt --out /tmp/gpu/x$s \
      --data $BANK --device $DEVICE --batch $BATCH --patch $PATCH --lr ${LR[$s]} --warmup 100 --clip 0.5 \
      --minutes "$MINUTES" --decay-at 0.4 0.65 0.85 --eval-every 100000000 --ckpt-every 250 \
      --log-every 50 --threads 4 --priority normal > /tmp/gpu/x$s/train.log 2>&1 &
  pids+=($!)
done
sleep ${PEEK:-90}; nvidia-smi --query-gpu=memory.used,utilization.gpu --format=csv,noheader 2>&1; tail -n 2 /tmp/gpu/x*/train.log
for p in "${pids[@]}"; do wait "$p"; done
for s in ${SCALES:-2 3 4}; do
  python3 -m promptsr_torch.parts split /tmp/gpu/x$s/last.pt "$OUT/x$s"
  timeout 45 python3 -m promptsr_torch.evaluate --checkpoint /tmp/gpu/x$s/last.pt --weights raw --scale $s \
    --sets $(ls $BANK/val) --device $DEVICE --data $BANK --json > /tmp/gpu/x$s/raw.json 2>&1 &
done
wait
tail -n 4 /tmp/gpu/x*/train.log /tmp/gpu/x*/raw.json
tar -C /tmp/gpu -cf "$OUT/logs.tar" --exclude='*.pt' .

-- CreateEnum
CREATE TYPE "AttemptOutcome" AS ENUM ('FINISHED', 'FAILED', 'LOST', 'CANCELED', 'REQUEUED');

-- CreateTable
CREATE TABLE "run_attempt" (
    "run_id" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ended_at" TIMESTAMPTZ(3),
    "outcome" "AttemptOutcome",
    "error" TEXT,
    "resumed_from_step" INTEGER,
    "resumed_from_epoch" INTEGER,
    "worker_id" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "pid" INTEGER,

    CONSTRAINT "run_attempt_pkey" PRIMARY KEY ("run_id","number")
);

-- AddForeignKey
ALTER TABLE "run_attempt" ADD CONSTRAINT "run_attempt_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "run"("id") ON DELETE CASCADE ON UPDATE CASCADE;


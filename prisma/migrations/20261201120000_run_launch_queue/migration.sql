-- AlterTable
ALTER TABLE "run" ADD COLUMN     "attempt" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "max_attempts" INTEGER NOT NULL DEFAULT 3,
ADD COLUMN     "priority" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "run_log" (
    "run_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "time" TIMESTAMPTZ(3) NOT NULL,
    "level" TEXT NOT NULL,
    "message" TEXT NOT NULL,

    CONSTRAINT "run_log_pkey" PRIMARY KEY ("run_id","seq")
);

-- CreateIndex
CREATE INDEX "run_status_heartbeat_at_idx" ON "run"("status", "heartbeat_at");

-- AddForeignKey
ALTER TABLE "run_log" ADD CONSTRAINT "run_log_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

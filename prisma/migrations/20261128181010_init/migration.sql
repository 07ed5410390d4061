-- CreateEnum
CREATE TYPE "Role" AS ENUM ('OWNER', 'MEMBER', 'VIEWER');

-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELED');

-- CreateEnum
CREATE TYPE "DatasetKind" AS ENUM ('IMAGE_FOLDER', 'IMAGE_CSV', 'AUDIO', 'TIME_SERIES', 'DOCUMENT');

-- CreateEnum
CREATE TYPE "ArchitectureFormat" AS ENUM ('ONNX', 'TFLITE', 'TFJS_LAYERS', 'TFJS_GRAPH');

-- CreateEnum
CREATE TYPE "ParamType" AS ENUM ('NUMBER', 'STRING', 'BOOLEAN');

-- CreateTable
CREATE TABLE "team" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "team_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "app_user" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "password_hash" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "app_user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "membership" (
    "team_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "role" "Role" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "membership_pkey" PRIMARY KEY ("team_id","user_id")
);

-- CreateTable
CREATE TABLE "api_token" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_token_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "project" (
    "id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "project_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "experiment" (
    "id" UUID NOT NULL,
    "project_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "experiment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dataset" (
    "id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "DatasetKind" NOT NULL,
    "source_uri" TEXT NOT NULL,
    "class_names" TEXT[],
    "split_counts" JSONB NOT NULL DEFAULT '{}',
    "content_hash" TEXT,
    "conversion" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dataset_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "architecture" (
    "id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "family" TEXT NOT NULL,
    "source_format" "ArchitectureFormat" NOT NULL,
    "file_uri" TEXT,
    "file_hash" TEXT,
    "input_size" INTEGER[],
    "parameter_count" BIGINT,
    "pretrained_on" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "architecture_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "run" (
    "id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "project_id" UUID NOT NULL,
    "experiment_id" UUID,
    "name" TEXT NOT NULL,
    "status" "RunStatus" NOT NULL DEFAULT 'QUEUED',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "hyperparameters" JSONB NOT NULL DEFAULT '{}',
    "dataset_id" UUID,
    "architecture_id" UUID,
    "seed" INTEGER,
    "group_key" TEXT,
    "fold" INTEGER,
    "worker_id" TEXT,
    "heartbeat_at" TIMESTAMPTZ(3),
    "error" TEXT,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "note" TEXT NOT NULL DEFAULT '',
    "parent_run_id" UUID,
    "created_by_id" UUID,

    CONSTRAINT "run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "run_param" (
    "run_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "type" "ParamType" NOT NULL,
    "number_value" DOUBLE PRECISION,
    "string_value" TEXT,

    CONSTRAINT "run_param_pkey" PRIMARY KEY ("run_id","key")
);

-- CreateTable
CREATE TABLE "metric_point" (
    "run_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "step" BIGINT NOT NULL,
    "epoch" DOUBLE PRECISION,
    "value" DOUBLE PRECISION NOT NULL,
    "wall_time" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "metric_point_pkey" PRIMARY KEY ("run_id","key","step")
);

-- CreateTable
CREATE TABLE "metric_summary" (
    "run_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "last" DOUBLE PRECISION NOT NULL,
    "last_step" BIGINT NOT NULL,
    "min" DOUBLE PRECISION NOT NULL,
    "min_step" BIGINT NOT NULL,
    "max" DOUBLE PRECISION NOT NULL,
    "max_step" BIGINT NOT NULL,
    "count" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "metric_summary_pkey" PRIMARY KEY ("run_id","key")
);

-- CreateTable
CREATE TABLE "metric_rollup" (
    "run_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "level" INTEGER NOT NULL,
    "bucket" BIGINT NOT NULL,
    "min" DOUBLE PRECISION NOT NULL,
    "min_step" BIGINT NOT NULL,
    "max" DOUBLE PRECISION NOT NULL,
    "max_step" BIGINT NOT NULL,
    "last" DOUBLE PRECISION NOT NULL,
    "last_step" BIGINT NOT NULL,
    "count" BIGINT NOT NULL,

    CONSTRAINT "metric_rollup_pkey" PRIMARY KEY ("run_id","key","level","bucket")
);

-- CreateTable
CREATE TABLE "artifact" (
    "id" UUID NOT NULL,
    "run_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "uri" TEXT NOT NULL,
    "bytes" BIGINT NOT NULL,
    "sha256" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "artifact_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "team_slug_key" ON "team"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "app_user_email_key" ON "app_user"("email");

-- CreateIndex
CREATE INDEX "membership_user_id_idx" ON "membership"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "api_token_token_hash_key" ON "api_token"("token_hash");

-- CreateIndex
CREATE INDEX "api_token_user_id_idx" ON "api_token"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "project_team_id_name_key" ON "project"("team_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "experiment_project_id_name_key" ON "experiment"("project_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "dataset_team_id_name_key" ON "dataset"("team_id", "name");

-- CreateIndex
CREATE UNIQUE INDEX "architecture_team_id_name_key" ON "architecture"("team_id", "name");

-- CreateIndex
CREATE INDEX "run_team_id_created_at_id_idx" ON "run"("team_id", "created_at" DESC, "id");

-- CreateIndex
CREATE INDEX "run_project_id_created_at_idx" ON "run"("project_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "run_experiment_id_idx" ON "run"("experiment_id");

-- CreateIndex
CREATE INDEX "run_dataset_id_idx" ON "run"("dataset_id");

-- CreateIndex
CREATE INDEX "run_architecture_id_idx" ON "run"("architecture_id");

-- CreateIndex
CREATE INDEX "run_team_id_status_idx" ON "run"("team_id", "status");

-- CreateIndex
CREATE INDEX "run_group_key_idx" ON "run"("group_key");

-- CreateIndex
CREATE INDEX "run_parent_run_id_idx" ON "run"("parent_run_id");

-- CreateIndex
CREATE INDEX "run_tags_idx" ON "run" USING GIN ("tags");

-- CreateIndex
CREATE INDEX "run_param_key_number_value_idx" ON "run_param"("key", "number_value");

-- CreateIndex
CREATE INDEX "run_param_key_string_value_idx" ON "run_param"("key", "string_value");

-- CreateIndex
CREATE INDEX "metric_summary_key_last_idx" ON "metric_summary"("key", "last");

-- CreateIndex
CREATE INDEX "metric_summary_key_min_idx" ON "metric_summary"("key", "min");

-- CreateIndex
CREATE INDEX "metric_summary_key_max_idx" ON "metric_summary"("key", "max");

-- CreateIndex
CREATE UNIQUE INDEX "artifact_run_id_name_key" ON "artifact"("run_id", "name");

-- AddForeignKey
ALTER TABLE "membership" ADD CONSTRAINT "membership_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "membership" ADD CONSTRAINT "membership_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_token" ADD CONSTRAINT "api_token_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "project" ADD CONSTRAINT "project_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "experiment" ADD CONSTRAINT "experiment_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dataset" ADD CONSTRAINT "dataset_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "architecture" ADD CONSTRAINT "architecture_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run" ADD CONSTRAINT "run_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run" ADD CONSTRAINT "run_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run" ADD CONSTRAINT "run_experiment_id_fkey" FOREIGN KEY ("experiment_id") REFERENCES "experiment"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run" ADD CONSTRAINT "run_dataset_id_fkey" FOREIGN KEY ("dataset_id") REFERENCES "dataset"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run" ADD CONSTRAINT "run_architecture_id_fkey" FOREIGN KEY ("architecture_id") REFERENCES "architecture"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run" ADD CONSTRAINT "run_parent_run_id_fkey" FOREIGN KEY ("parent_run_id") REFERENCES "run"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run" ADD CONSTRAINT "run_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run_param" ADD CONSTRAINT "run_param_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "metric_point" ADD CONSTRAINT "metric_point_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "metric_summary" ADD CONSTRAINT "metric_summary_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "metric_rollup" ADD CONSTRAINT "metric_rollup_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "artifact" ADD CONSTRAINT "artifact_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateEnum
CREATE TYPE "AuditAction" AS ENUM ('TEAM_CREATED', 'INVITE_CREATED', 'INVITE_REVOKED', 'MEMBER_JOINED', 'MEMBER_ROLE_CHANGED', 'MEMBER_REMOVED', 'MEMBER_LEFT', 'TOKEN_CREATED', 'TOKEN_REVOKED');

-- CreateEnum
CREATE TYPE "AuditSubject" AS ENUM ('TEAM', 'USER', 'INVITE', 'API_TOKEN');

-- AlterTable
ALTER TABLE "api_token" ADD COLUMN     "expires_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "team_invite" (
    "id" UUID NOT NULL,
    "team_id" UUID NOT NULL,
    "role" "Role" NOT NULL,
    "email" TEXT,
    "token_hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "accepted_at" TIMESTAMPTZ(3),
    "accepted_by_id" UUID,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "team_invite_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_event" (
    "id" BIGSERIAL NOT NULL,
    "team_id" UUID,
    "actor_id" UUID,
    "action" "AuditAction" NOT NULL,
    "subject_type" "AuditSubject" NOT NULL,
    "subject_id" UUID NOT NULL,
    "detail" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "team_invite_token_hash_key" ON "team_invite"("token_hash");

-- CreateIndex
CREATE INDEX "team_invite_team_id_created_at_idx" ON "team_invite"("team_id", "created_at");

-- CreateIndex
CREATE INDEX "team_invite_created_by_id_idx" ON "team_invite"("created_by_id");

-- CreateIndex
CREATE INDEX "team_invite_accepted_by_id_idx" ON "team_invite"("accepted_by_id");

-- CreateIndex
CREATE INDEX "audit_event_team_id_id_idx" ON "audit_event"("team_id", "id" DESC);

-- CreateIndex
CREATE INDEX "audit_event_actor_id_idx" ON "audit_event"("actor_id");

-- AddForeignKey
ALTER TABLE "team_invite" ADD CONSTRAINT "team_invite_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "team_invite" ADD CONSTRAINT "team_invite_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "team_invite" ADD CONSTRAINT "team_invite_accepted_by_id_fkey" FOREIGN KEY ("accepted_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_event" ADD CONSTRAINT "audit_event_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_event" ADD CONSTRAINT "audit_event_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;


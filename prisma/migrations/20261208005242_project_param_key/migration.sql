-- CreateTable
CREATE TABLE "project_param_key" (
    "project_id" UUID NOT NULL,
    "key" TEXT NOT NULL,

    CONSTRAINT "project_param_key_pkey" PRIMARY KEY ("project_id","key")
);

-- AddForeignKey
ALTER TABLE "project_param_key" ADD CONSTRAINT "project_param_key_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Written by hand from here on (prisma migrate diff knows no triggers).
-- project_param_key holds, for each project, exactly the keys that run_param has for its runs.
-- Triggers keep it so, whatever writes run_param (GraphQL, the MLflow API, the worker, imports,
-- plain SQL): statement-level ones with transition tables, one statement per write.
-- The trigger functions' bodies are E'' strings with \073 for the semicolon: Prisma's pg adapter
-- runs a migration as the statements between semicolons, wherever they are.

-- Deletes the keys of `projects` (among `keys`, or all of them when NULL) that no run of theirs has any more.
CREATE FUNCTION "project_param_key_prune"("projects" UUID[], "keys" TEXT[]) RETURNS void LANGUAGE sql AS $$
  DELETE FROM "project_param_key" k
  WHERE k."project_id" = ANY("projects") AND ("keys" IS NULL OR k."key" = ANY("keys"))
    AND NOT EXISTS (
      SELECT 1 FROM "run" r JOIN "run_param" p ON p."run_id" = r."id" AND p."key" = k."key"
      WHERE r."project_id" = k."project_id")
$$;

-- Params written: their keys for their runs' projects.
CREATE FUNCTION "run_param_keys_added"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  INSERT INTO "project_param_key" ("project_id", "key")
  SELECT DISTINCT r."project_id", n."key" FROM "new_params" n JOIN "run" r ON r."id" = n."run_id"
  ON CONFLICT DO NOTHING\073
  RETURN NULL\073
END';

-- Params removed (or changed): the keys their projects no longer have. Rows deleted with their run
-- (ON DELETE CASCADE) find no run here: the trigger on run prunes those projects.
CREATE FUNCTION "run_param_keys_removed"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  PERFORM "project_param_key_prune"(array_agg(DISTINCT r."project_id"), array_agg(DISTINCT o."key"))
  FROM "old_params" o JOIN "run" r ON r."id" = o."run_id"\073
  RETURN NULL\073
END';

CREATE TRIGGER "run_param_keys_insert" AFTER INSERT ON "run_param"
  REFERENCING NEW TABLE AS "new_params" FOR EACH STATEMENT EXECUTE FUNCTION "run_param_keys_added"();
CREATE TRIGGER "run_param_keys_update_new" AFTER UPDATE ON "run_param"
  REFERENCING NEW TABLE AS "new_params" FOR EACH STATEMENT EXECUTE FUNCTION "run_param_keys_added"();
CREATE TRIGGER "run_param_keys_update_old" AFTER UPDATE ON "run_param"
  REFERENCING OLD TABLE AS "old_params" FOR EACH STATEMENT EXECUTE FUNCTION "run_param_keys_removed"();
CREATE TRIGGER "run_param_keys_delete" AFTER DELETE ON "run_param"
  REFERENCING OLD TABLE AS "old_params" FOR EACH STATEMENT EXECUTE FUNCTION "run_param_keys_removed"();

-- Runs deleted: every key of their projects is checked again.
CREATE FUNCTION "run_deleted_param_keys"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  PERFORM "project_param_key_prune"(array_agg(DISTINCT o."project_id"), NULL) FROM "old_runs" o\073
  RETURN NULL\073
END';

CREATE TRIGGER "run_param_keys_run_delete" AFTER DELETE ON "run"
  REFERENCING OLD TABLE AS "old_runs" FOR EACH STATEMENT EXECUTE FUNCTION "run_deleted_param_keys"();

-- A run moved to another project takes its keys along. Row-level (a trigger with transition
-- tables cannot name columns): the WHEN clause keeps it off every other update of run.
CREATE FUNCTION "run_moved_param_keys"() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  INSERT INTO "project_param_key" ("project_id", "key")
  SELECT NEW."project_id", p."key" FROM "run_param" p WHERE p."run_id" = NEW."id"
  ON CONFLICT DO NOTHING\073
  PERFORM "project_param_key_prune"(ARRAY[OLD."project_id"], NULL)\073
  RETURN NULL\073
END';

CREATE TRIGGER "run_param_keys_run_move" AFTER UPDATE OF "project_id" ON "run"
  FOR EACH ROW WHEN (OLD."project_id" IS DISTINCT FROM NEW."project_id") EXECUTE FUNCTION "run_moved_param_keys"();

-- The keys of the runs already there.
INSERT INTO "project_param_key" ("project_id", "key")
SELECT DISTINCT r."project_id", p."key" FROM "run_param" p JOIN "run" r ON r."id" = p."run_id";

ALTER TABLE "manifests" ADD COLUMN "fetched_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "manifests" ADD COLUMN "fetch_due_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "manifests" ADD COLUMN "fetch_attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "manifests" ADD COLUMN "fetch_error" text;--> statement-breakpoint
CREATE INDEX "manifests_fetch_due_at_idx" ON "manifests" USING btree ("fetch_due_at") WHERE "manifests"."fetch_due_at" is not null;
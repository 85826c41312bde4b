CREATE TABLE "webhook_secrets" (
	"id" serial PRIMARY KEY NOT NULL,
	"secret" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp (3) with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_secrets_current_secret" ON "webhook_secrets" USING btree ((true)) WHERE "webhook_secrets"."retired_at" is null;
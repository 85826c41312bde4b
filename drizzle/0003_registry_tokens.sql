CREATE TYPE "public"."access_token_permission" AS ENUM('read', 'write');--> statement-breakpoint
CREATE TABLE "token_signing_keys" (
	"id" serial PRIMARY KEY NOT NULL,
	"private_key" text NOT NULL,
	"certificate" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp (3) with time zone
);
--> statement-breakpoint
ALTER TABLE "access_tokens" ADD COLUMN "permission" "access_token_permission" DEFAULT 'read' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "token_signing_keys_current_key" ON "token_signing_keys" USING btree ((true)) WHERE "token_signing_keys"."retired_at" is null;--> statement-breakpoint
-- Tokens made before permissions existed could do everything; they keep that. New ones default to read.
UPDATE "access_tokens" SET "permission" = 'write';

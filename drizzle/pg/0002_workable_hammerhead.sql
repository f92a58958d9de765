CREATE TABLE "queue_jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"seq" integer NOT NULL,
	"user_id" text NOT NULL,
	"kind" text NOT NULL,
	"payload" text NOT NULL,
	"status" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer NOT NULL,
	"progress" real DEFAULT 0 NOT NULL,
	"stage" text,
	"error" text,
	"result" text,
	"cancel_requested" boolean DEFAULT false NOT NULL,
	"lease_owner" text,
	"lease_expires_at" timestamp with time zone,
	"available_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "queue_jobs_status_seq_idx" ON "queue_jobs" USING btree ("status","seq");--> statement-breakpoint
CREATE INDEX "queue_jobs_user_status_idx" ON "queue_jobs" USING btree ("user_id","status");--> statement-breakpoint
CREATE INDEX "queue_jobs_status_lease_idx" ON "queue_jobs" USING btree ("status","lease_expires_at");
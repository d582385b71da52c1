/**
 * The CloudWatch metrics the functions emit (embedded metric format). The CDK stack reads the same
 * names for its alarms and dashboard, so a renamed metric cannot leave an alarm watching nothing.
 */
export const METRICS_NAMESPACE = "PrivacyDesk";
export const METRICS_SERVICE = "privacy-desk";

/** Gauges the deadline scanner emits every run, in total and per `jurisdiction` dimension. */
export const DEADLINE_GAUGES = {
  open: "OpenRequests",
  dueWithin2WorkingDays: "DueWithin2WorkingDays",
  overdueSla: "OverdueSla",
  overdueStatutory: "OverdueStatutory",
} as const;

/** Counts per scan (total only). */
export const REMINDERS_SENT = "RemindersSent";
export const REMINDER_FAILURES = "ReminderFailures";

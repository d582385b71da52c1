/**
 * The single table's key schema, shared by the CDK stateful stack, the DynamoDB adapter and the
 * local runtime (which creates the same table in dynalite). Access patterns: docs/architecture.md.
 */
export const TABLE = {
  partitionKey: "PK",
  sortKey: "SK",
  /** Epoch seconds; closed requests are destroyed after the retention period. */
  ttlAttribute: "expiresAt",
  indexes: {
    /** Sparse: only open requests carry GSI1PK. Sorted by SLA due date. Serves the scanner and the queue. */
    openByDue: { name: "open-by-due", partitionKey: "GSI1PK", sortKey: "GSI1SK" },
    /** Every request by status, sorted by SLA due date. Serves the officer queue's status filter. */
    byStatus: { name: "by-status", partitionKey: "GSI2PK", sortKey: "GSI2SK" },
  },
} as const;

import type { DbOrTx } from "./users";

export async function recordAudit(
  db: DbOrTx,
  entry: { actorId: number | null; action: string; targetType: string; targetId: string | number; detail?: unknown; at: number },
): Promise<void> {
  await db
    .insertInto("audit_log")
    .values({
      actor_id: entry.actorId,
      action: entry.action,
      target_type: entry.targetType,
      target_id: String(entry.targetId),
      detail: JSON.stringify(entry.detail ?? {}),
      at: entry.at,
    })
    .execute();
}

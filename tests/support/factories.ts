import { randomBytes } from "node:crypto";
import type { Db } from "../../db/client";
import { insertUser } from "../../db/queries/users";
import { hashPassword } from "~/services/auth/password.server";
import type { ApproverTitle, Role } from "~/domain/roles";

export interface MadeMember {
  id: number;
  username: string;
  password: string;
  name: string;
}

export async function makeMember(
  db: Db,
  input: { role: Role; title?: ApproverTitle | null; username?: string; name?: string; password?: string },
): Promise<MadeMember> {
  const username = input.username ?? `${input.role}-${randomBytes(4).toString("hex")}`;
  const password = input.password ?? `pw-${randomBytes(6).toString("hex")}`;
  const name = input.name ?? `测试${input.role}`;
  const id = await insertUser(db, {
    username,
    name,
    passwordHash: await hashPassword(password),
    role: input.role,
    title: input.title ?? null,
    now: Date.now(),
  });
  return { id, username, password, name };
}

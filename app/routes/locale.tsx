import { json, redirect, type ActionFunctionArgs } from "@remix-run/node";
import { serialize } from "cookie";
import { z } from "zod";
import { can } from "~/domain/policy";
import { LocaleSchema } from "~/domain/roles";
import { LOCALE_COOKIE } from "~/i18n/locale";
import { updateUser } from "../../db/queries/users";

export async function loader() {
  return redirect("/");
}

/** Switches the interface language: remembered on the member and on this browser. */
export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = z.object({ locale: LocaleSchema }).safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return json({ ok: false }, { status: 400 });
  const { locale } = parsed.data;
  const actor = context.auth?.actor ?? null;
  if (context.auth && can(actor, "account:update")) {
    await updateUser(context.db, context.auth.user.id, { locale }, Date.now());
  }
  const cookie = serialize(LOCALE_COOKIE, locale, { path: "/", sameSite: "lax", maxAge: 365 * 24 * 3600 });
  return json({ ok: true, locale }, { headers: { "Set-Cookie": cookie } });
}

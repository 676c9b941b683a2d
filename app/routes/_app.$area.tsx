import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireAbility } from "../auth/guards.server";
import { AreaPage, AREAS, type Area } from "../components/area-page";
import type { Action } from "../domain/policy";

// Each area gets its own route module when the issue that fills it lands.
const ABILITY: Record<Area, Action> = {
  calendar: "calendar:view",
};

const TITLE: Record<Area, string> = { calendar: "日历" };

function isArea(value: string | undefined): value is Area {
  return (AREAS as readonly string[]).includes(value ?? "");
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? TITLE[data.area] : "活动策划台"} · 活动策划台` },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const area = params.area;
  if (!isArea(area)) {
    requireAbility(request, context, "plans:view");
    throw json({ code: "notFound" }, { status: 404 });
  }
  requireAbility(request, context, ABILITY[area]);
  return { area };
}

export default function AreaRoute() {
  return <AreaPage area={useLoaderData<typeof loader>().area} />;
}

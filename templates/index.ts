/**
 * The built-in plan templates. Each template is plain data in its own JSON file (named
 * after its id) so it can be reviewed, diffed and, later, seeded into a workspace's own
 * template table; this module is the one list of them. JSON imports work everywhere the
 * app runs: the Remix compiler and Vite bundle them, tsx loads them on the server.
 *
 * Add a template: create `templates/<id>.json`, import it here, run the template tests.
 */
import { loadTemplates, type Template } from "../app/domain/template";
import bankVipHolidayMarketing from "./bank-vip-holiday-marketing.json";
import double11Ecommerce from "./double11-ecommerce.json";
import double11MallPromotion from "./double11-mall-promotion.json";
import duanwuHotelPromotion from "./duanwu-hotel-promotion.json";
import midAutumnClientGala from "./mid-autumn-client-gala.json";
import newYearMemberRecruitment from "./new-year-member-recruitment.json";
import supermarketGrandOpening from "./supermarket-grand-opening.json";
import yearEndMemberRewards from "./year-end-member-rewards.json";

/** File name → parsed JSON, in the order the template picker lists them. */
export const TEMPLATE_MODULES: Readonly<Record<string, unknown>> = {
  "duanwu-hotel-promotion.json": duanwuHotelPromotion,
  "mid-autumn-client-gala.json": midAutumnClientGala,
  "supermarket-grand-opening.json": supermarketGrandOpening,
  "double11-ecommerce.json": double11Ecommerce,
  "double11-mall-promotion.json": double11MallPromotion,
  "new-year-member-recruitment.json": newYearMemberRecruitment,
  "year-end-member-rewards.json": yearEndMemberRewards,
  "bank-vip-holiday-marketing.json": bankVipHolidayMarketing,
};

let validated: readonly Template[] | undefined;

/** Every built-in template, validated once; throws TemplateLoadError naming a bad file. */
export function builtInTemplates(): readonly Template[] {
  validated ??= Object.freeze(loadTemplates(TEMPLATE_MODULES));
  return validated;
}

export function findBuiltInTemplate(id: string): Template | undefined {
  return builtInTemplates().find((template) => template.id === id);
}

/**
 * Draws the installed app's PNG icons (public/icons/*.png) from the SVGs beside them, with the
 * same headless Chromium the browser tests use. Run once after changing an SVG, and commit the PNGs:
 *   node --import tsx scripts/generate-icons.ts
 * "any" icons keep their rounded corners on a transparent ground; "maskable" ones and Apple's
 * touch icon fill the square, since the launcher (or iOS) cuts its own shape out of them.
 */
import { readFile } from "node:fs/promises";
import { launchBrowser } from "../tests/support/chromium";

const ICONS = [
  { svg: "icon.svg", png: "icon-192.png", size: 192 },
  { svg: "icon.svg", png: "icon-512.png", size: 512 },
  { svg: "icon-maskable.svg", png: "icon-maskable-192.png", size: 192 },
  { svg: "icon-maskable.svg", png: "icon-maskable-512.png", size: 512 },
  { svg: "icon-maskable.svg", png: "apple-touch-icon.png", size: 180 },
] as const;

const dir = new URL("../public/icons/", import.meta.url);
const browser = await launchBrowser();
try {
  for (const icon of ICONS) {
    const svg = await readFile(new URL(icon.svg, dir), "utf8");
    const page = await browser.newPage({ viewport: { width: icon.size, height: icon.size } });
    await page.setContent(
      `<style>html,body{margin:0;background:transparent}svg{display:block;width:${icon.size}px;height:${icon.size}px}</style>${svg}`,
    );
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path: new URL(icon.png, dir).pathname, omitBackground: true });
    await page.close();
    console.log(`public/icons/${icon.png} (${icon.size}×${icon.size})`);
  }
} finally {
  await browser.close();
}

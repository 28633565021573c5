// The app icon a phone keeps on its home screen (apple-touch-icon): the
// favicon's ticket (app/icon.svg), drawn at 180 px as a PNG, which is what
// home screens take. Rendered once, at build time.
import { readFile } from "node:fs/promises";
import path from "node:path";

import { ImageResponse } from "next/og";

export const size = { width: 180, height: 180 };
export const contentType = "image/png";

export default async function AppleIcon() {
  const svg = await readFile(path.join(process.cwd(), "app/icon.svg"));
  return new ImageResponse(
    <img src={`data:image/svg+xml;base64,${svg.toString("base64")}`} width={size.width} height={size.height} alt="" />,
    size,
  );
}

import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native and driver packages are loaded by Node at run time, not bundled.
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "@prisma/adapter-pg", "pg"],
  poweredByHeader: false,
  // `npm run typecheck` (tsc over the whole project, in `npm test`) checks types once; the build need not again.
  typescript: { ignoreBuildErrors: true },
  typedRoutes: false,
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
        ],
      },
      {
        // A page that shows a ticket: the URL is a credential, so it must not
        // leak to other sites through the Referer header or linger in any
        // cache. "same-origin", not "no-referrer": with no-referrer browsers
        // send `Origin: null` on the page's own forms, which the same-origin
        // rule cannot tell from a sandboxed attacker (decision 14).
        source: "/ticket/:id*",
        headers: [
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "Cache-Control", value: "no-store, max-age=0" },
        ],
      },
    ];
  },
};

export default nextConfig;

// Commands read .env files the way Next.js does, so `npm run db:migrate` and
// `npm run dev` see the same configuration.
import nextEnv from "@next/env";

nextEnv.loadEnvConfig(process.cwd(), process.env.NODE_ENV !== "production");

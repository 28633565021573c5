"use client";

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

import type { DayPoint } from "@/lib/admin/queries";
import { plural } from "@/lib/format";

const SERIES = [
  { key: "issued", name: "Issued", color: "#2f5bea" },
  { key: "used", name: "Used", color: "#16794c" },
  { key: "expired", name: "Expired", color: "#b54708" },
] as const;

export function ActivityChart({ data }: { data: DayPoint[] }) {
  return (
    <div className="chart-box" role="img" aria-label={`Tickets issued, used and expired per day over the last ${plural(data.length, "day")}`}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: -12 }}>
          <CartesianGrid stroke="#edf0f3" vertical={false} />
          <XAxis dataKey="day" tickFormatter={(day: string) => day.slice(5)} tick={{ fontSize: 12, fill: "#5b6470" }} tickLine={false} axisLine={{ stroke: "#dde1e6" }} minTickGap={18} />
          <YAxis allowDecimals={false} tick={{ fontSize: 12, fill: "#5b6470" }} tickLine={false} axisLine={false} width={44} />
          <Tooltip contentStyle={{ borderRadius: 8, borderColor: "#dde1e6", fontSize: 13 }} labelFormatter={(day) => `${String(day)} (UTC)`} />
          <Legend wrapperStyle={{ fontSize: 13 }} iconType="circle" />
          {SERIES.map((s) => (
            <Line key={s.key} type="linear" dataKey={s.key} name={s.name} stroke={s.color} strokeWidth={2} dot={false} activeDot={{ r: 4 }} isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

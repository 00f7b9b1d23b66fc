import type { Metadata } from "next";
import { CreatorTabs } from "@/components/creator/EarningsTables";
import { FanClubNameForm } from "@/components/creator/FanClubNameForm";
import { FanBadge } from "@/components/live/Badges";
import { requireUser } from "@/lib/auth/session";
import { defaultFanClubName, FAN_CLUB_RULES, formatCoins } from "@/lib/economy";
import { getLedger } from "@/lib/ledger";
import { getFanClub, listFanClubMembers, type FanClubMemberRow } from "@/lib/live/fans";
import { setting } from "@/lib/env";
import { Card } from "@/components/ui/Card";
import { Table } from "@/components/ui/Table";

export const metadata: Metadata = { title: "Fan club" };

const day = (d: Date) => d.toISOString().slice(0, 10);
const when = (d: Date) => `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;

export default async function CreatorFansPage() {
  const user = await requireUser("/creator/fans", ["CREATOR"]);
  const pool = getLedger().pool;
  const [club, members] = await Promise.all([getFanClub(pool, user.id), listFanClubMembers(pool, user.id)]);
  const name = club?.name ?? defaultFanClubName(user.displayName);
  const lapseDays = setting("FAN_CLUB_LAPSE_DAYS");
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-extrabold">Creator</h1>
      <CreatorTabs current="fans" />
      <Card flow id="club" title="Your fan club">
        <p className="mt-1 text-sm">
          Viewers join by sending you a <strong>Heart Me</strong> during your LIVE. Members earn fan points from gifts (1 per coin), minutes watched (up to{" "}
          {FAN_CLUB_RULES.watchMinutesPerDay} a day) and chat (up to {FAN_CLUB_RULES.chatPointsPerDay} a day); a membership lapses after {lapseDays} days
          without any of these in your LIVEs.
        </p>
        <p className="mt-2 flex items-center gap-2 text-sm" data-testid="fan-club-summary">
          <span>Badge:</span> <FanBadge fan={{ club: name, level: 1 }} />
          <span className="text-muted">
            · {club?.members ?? 0} {club?.members === 1 ? "member" : "members"}, {club?.activeMembers ?? 0} active
            {club?.named ? "" : " · not named yet: the name comes from yours"}
          </span>
        </p>
        <div className="mt-3">
          <FanClubNameForm current={name} />
        </div>
      </Card>
      <Card flow id="members" title="Members">
        {members.length === 0 ? (
          <p className="mt-2 text-sm text-muted" data-testid="fan-members-empty">
            No members yet. When a viewer sends you a Heart Me in your LIVE, they join your fan club and show up here.
          </p>
        ) : (
          <MembersTable members={members} />
        )}
      </Card>
    </div>
  );
}

function MembersTable({ members }: { members: FanClubMemberRow[] }) {
  return (
    // Wider than a phone: the region scrolls sideways, so it takes keyboard focus.
    <div className="mt-2 overflow-x-auto" tabIndex={0} role="region" aria-label="Fan club members (scrolls sideways)">
      <Table
        caps
        testId="fan-members"
        caption="Fan club members, most recently active first"
        columns={[
          { label: "Member" },
          { label: "Level", numeric: true },
          { label: "Points", numeric: true },
          { label: "Points today" },
          { label: "Last active" },
          { label: "Joined" },
        ]}
      >
        {members.map((m) => (
          <tr key={m.userId} data-testid="fan-member-row">
            <td className="py-2 pr-2 font-semibold">
              {m.name}
              {m.status.state === "lapsed" ? <span className="block text-xs font-medium text-muted">lapsed on {day(new Date(m.status.lapsedAt))}</span> : null}
            </td>
            <td className="py-2 pr-2 text-right tabular-nums">{m.level}</td>
            <td className="py-2 pr-2 text-right tabular-nums">{formatCoins(m.points)}</td>
            <td className="py-2 pr-2 text-xs whitespace-nowrap">
              {m.today.watchMinutes} watching · {m.today.chatPoints} chat · {formatCoins(m.today.giftPoints)} from gifts
            </td>
            <td className="py-2 pr-2 whitespace-nowrap">
              <time dateTime={m.lastActiveAt.toISOString()}>{when(m.lastActiveAt)}</time>
            </td>
            <td className="py-2 whitespace-nowrap">
              <time dateTime={m.joinedAt.toISOString()}>{day(m.joinedAt)}</time>
            </td>
          </tr>
        ))}
      </Table>
    </div>
  );
}

/**
 * Backup and maintenance windows as RDS and ElastiCache take them (UTC): a daily
 * "hh:mm-hh:mm" and a weekly "ddd:hh:mm-ddd:hh:mm". Pure: parsing and the overlap rule
 * AWS enforces (the daily backup window must not overlap the weekly maintenance window).
 */

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
const WEEK = 7 * 24 * 60;

/** A half-open interval in minutes from Monday 00:00 UTC; `end` may exceed a week when it wraps. */
interface Interval {
    readonly start: number;
    readonly end: number;
}

const minutes = (hhmm: string) => {
    const [h, m] = hhmm.split(":").map(Number);
    return h * 60 + m;
};

/** Length in minutes of a daily window (wrapping past midnight allowed). */
export function dailyWindowMinutes(window: string): number {
    const [from, to] = window.split("-");
    return (minutes(to) - minutes(from) + 24 * 60) % (24 * 60);
}

/** Length in minutes of a weekly window (wrapping past Sunday allowed). */
export function weeklyWindowMinutes(window: string): number {
    const { start, end } = weekly(window);
    return end - start;
}

function weekly(window: string): Interval {
    const [from, to] = window.split("-").map((part) => {
        const [day, ...time] = part.split(":");
        return DAYS.indexOf(day as (typeof DAYS)[number]) * 24 * 60 + minutes(time.join(":"));
    });
    return { start: from, end: to >= from ? to : to + WEEK };
}

/** Whether a daily window, repeated every day, overlaps a weekly window. */
export function windowsOverlap(daily: string, weeklyWindow: string): boolean {
    const [from] = daily.split("-");
    const length = dailyWindowMinutes(daily);
    const w = weekly(weeklyWindow);
    // Compare against every daily occurrence, including the ones shifted by a week for wrapping windows.
    for (let day = -1; day <= 14; day++) {
        const start = day * 24 * 60 + minutes(from);
        if (start < w.end && w.start < start + length) return true;
    }
    return false;
}

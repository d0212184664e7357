import * as assert from "node:assert/strict";
import fc from "fast-check";
import { dailyWindowMinutes, weeklyWindowMinutes, windowsOverlap } from "../../model/windows";

describe("model/windows", () => {
    it("measures daily and weekly windows, including ones that wrap", () => {
        assert.equal(dailyWindowMinutes("01:00-02:00"), 60);
        assert.equal(dailyWindowMinutes("23:30-00:15"), 45);
        assert.equal(weeklyWindowMinutes("sun:03:00-sun:04:00"), 60);
        assert.equal(weeklyWindowMinutes("sun:23:00-mon:01:00"), 120);
    });

    it("finds overlaps the way RDS rejects them", () => {
        assert.equal(windowsOverlap("01:00-02:00", "sun:03:00-sun:04:00"), false, "the committed prod windows");
        assert.equal(windowsOverlap("03:30-04:30", "sun:03:00-sun:04:00"), true);
        assert.equal(windowsOverlap("02:00-03:00", "wed:03:00-wed:04:00"), false, "touching is not overlapping");
        assert.equal(windowsOverlap("23:30-00:30", "mon:00:00-mon:01:00"), true, "a daily window wrapping midnight");
        assert.equal(windowsOverlap("00:30-01:00", "sun:23:00-mon:01:00"), true, "a weekly window wrapping Sunday");
    });

    const hhmm = fc
        .record({ h: fc.integer({ min: 0, max: 23 }), m: fc.integer({ min: 0, max: 59 }) })
        .map(({ h, m }) => `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`);
    const day = fc.constantFrom("mon", "tue", "wed", "thu", "fri", "sat", "sun");

    it("property: a daily window always overlaps a weekly window starting inside it on any day", () => {
        fc.assert(
            fc.property(hhmm, fc.integer({ min: 30, max: 180 }), day, fc.integer({ min: 0, max: 29 }), (start, length, d, offset) => {
                const [h, m] = start.split(":").map(Number);
                const at = (mins: number) => `${String(Math.floor(mins / 60) % 24).padStart(2, "0")}:${String(mins % 60).padStart(2, "0")}`;
                const daily = `${start}-${at(h * 60 + m + length)}`;
                const weeklyStart = h * 60 + m + offset;
                const weekly = `${d}:${at(weeklyStart)}-${d}:${at(weeklyStart + 1)}`;
                if (Math.floor(weeklyStart / 60) >= 24 || Math.floor((weeklyStart + 1) / 60) >= 24) return; // stays within the day
                assert.equal(windowsOverlap(daily, weekly), true, `${daily} vs ${weekly}`);
            }),
        );
    });
});

/** Plain-text layout for the terminal summary: every line at most WIDTH columns (issue #15 item 7). */

/** The terminal summary's width: fits a default 100-column terminal and a CI log without wrapping. */
export const WIDTH = 100;

/** `text` cut to `width` columns with an ellipsis. */
export function fit(text: string, width: number): string {
    if (width <= 0) return "";
    return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

/** `text` padded (or cut) to exactly `width` columns. */
export function column(text: string, width: number): string {
    return fit(text, width).padEnd(width);
}

/** Words of `text` wrapped into lines of at most `width` columns, each starting with `indent`; a word longer than a line is split. */
export function wrap(text: string, indent = "", width = WIDTH, firstIndent = indent): string[] {
    const lines: string[] = [];
    let line = firstIndent;
    let empty = true;
    const room = (prefix: string) => Math.max(1, width - prefix.length);
    for (const raw of text.split(/\s+/).filter((w) => w.length > 0)) {
        let word = raw;
        const sep = empty ? "" : " ";
        if (line.length + sep.length + word.length <= width) {
            line += sep + word;
            empty = false;
            continue;
        }
        if (!empty) {
            lines.push(line);
            line = indent;
        }
        while (word.length > room(line)) {
            lines.push(line + word.slice(0, room(line)));
            word = word.slice(room(line));
            line = indent;
        }
        line += word;
        empty = false;
    }
    if (!empty || lines.length === 0) lines.push(line);
    return lines;
}

/**
 * A shell command wrapped with ` \` continuations, so it can still be pasted: breaks only at spaces
 * outside single quotes (inside them a backslash-newline is kept literally).
 */
export function wrapCommand(command: string, indent = "    ", width = WIDTH): string[] {
    const words: string[] = [];
    let word = "";
    let quoted = false;
    for (const ch of command) {
        if (ch === "'") quoted = !quoted;
        if (ch === " " && !quoted) {
            if (word) words.push(word);
            word = "";
        } else word += ch;
    }
    if (word) words.push(word);
    const lines: string[] = [];
    let line = "";
    for (const w of words) {
        // Room for " \" at the end of a continued line.
        if (line && indent.length + line.length + 1 + w.length + 2 > width) {
            lines.push(`${indent}${line} \\`);
            line = w;
        } else line = line ? `${line} ${w}` : w;
    }
    lines.push(`${indent}${line}`);
    // A single word wider than the terminal (none of ours is) is cut rather than overflow.
    return lines.map((l) => fit(l, width));
}

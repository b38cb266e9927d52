//! Column alignment as Go's `text/tabwriter` does it, because kubectl aligns every table and
//! every `describe` page with it and users read those layouts.
//!
//! Cells end at a tab; the text after a line's last tab is not aligned. A column block is a run
//! of consecutive lines that all have a cell in that column; the block is as wide as its widest
//! cell plus the padding. Blocks nest: a column's block is split wherever a line has no cell in
//! it.

/// Settings of a writer, named as in Go.
#[derive(Clone, Copy, Debug)]
pub struct TabWriter {
    pub min_width: usize,
    pub padding: usize,
    /// Keep column widths across flushes (Go's `RememberWidths`), as `kubectl get -w` does.
    pub remember_widths: bool,
}

/// The settings of `kubectl get` (minwidth 6, padding 3, RememberWidths).
pub const GET: TabWriter = TabWriter {
    min_width: 6,
    padding: 3,
    remember_widths: true,
};
/// The settings of `kubectl describe` (minwidth 0, padding 2).
pub const DESCRIBE: TabWriter = TabWriter {
    min_width: 0,
    padding: 2,
    remember_widths: false,
};

impl TabWriter {
    /// Aligns a whole text.
    pub fn format(&self, text: &str) -> String {
        let mut remembered = Vec::new();
        self.format_remembering(text, &mut remembered)
    }

    /// Aligns `text`, starting from and updating widths remembered from earlier output.
    pub fn format_remembering(&self, text: &str, remembered: &mut Vec<usize>) -> String {
        let mut out = String::with_capacity(text.len() + text.len() / 2);
        let ends_with_newline = text.ends_with('\n');
        let body = text.strip_suffix('\n').unwrap_or(text);
        let lines: Vec<Vec<&str>> = body.split('\n').map(|l| l.split('\t').collect()).collect();
        // A line without a tab ends every block, so each such line splits the text in segments.
        let mut widths = Vec::new();
        self.block(&lines, 0, lines.len(), &mut widths, remembered, &mut out);
        if !ends_with_newline && out.ends_with('\n') {
            out.pop();
        }
        out
    }

    fn block(
        &self,
        lines: &[Vec<&str>],
        mut line0: usize,
        line1: usize,
        widths: &mut Vec<usize>,
        remembered: &mut Vec<usize>,
        out: &mut String,
    ) {
        let column = widths.len();
        let mut this = line0;
        while this < line1 {
            if column + 1 >= lines[this].len() {
                this += 1;
                continue;
            }
            self.write_lines(lines, line0, this, widths, out);
            line0 = this;
            let mut width = self.min_width;
            while this < line1 && column + 1 < lines[this].len() {
                let w = lines[this][column].chars().count() + self.padding;
                width = width.max(w);
                this += 1;
            }
            if self.remember_widths {
                if column < remembered.len() {
                    width = width.max(remembered[column]);
                    remembered[column] = width;
                } else {
                    remembered.resize(column, 0);
                    remembered.push(width);
                }
            }
            widths.push(width);
            self.block(lines, line0, this, widths, remembered, out);
            widths.pop();
            line0 = this;
        }
        self.write_lines(lines, line0, line1, widths, out);
    }

    fn write_lines(
        &self,
        lines: &[Vec<&str>],
        from: usize,
        to: usize,
        widths: &[usize],
        out: &mut String,
    ) {
        for line in &lines[from..to] {
            for (j, cell) in line.iter().enumerate() {
                out.push_str(cell);
                if j < widths.len() && j + 1 < line.len() {
                    let w = cell.chars().count();
                    for _ in w..widths[j] {
                        out.push(' ');
                    }
                }
            }
            out.push('\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_table() {
        let t =
            GET.format("NAME\tREADY\tSTATUS\tRESTARTS\tAGE\nexamplepod\t1/1\tRunning\t0\t34s\n");
        assert_eq!(
            t,
            "NAME         READY   STATUS    RESTARTS   AGE\nexamplepod   1/1     Running   0          34s\n"
        );
    }

    #[test]
    fn blocks_split_on_lines_without_tabs() {
        let t = DESCRIBE.format("Name:\tx\nService Account:\tdefault\nIPs:\n  IP:\t1.2.3.4\n");
        assert_eq!(
            t,
            "Name:             x\nService Account:  default\nIPs:\n  IP:  1.2.3.4\n"
        );
    }

    #[test]
    fn remembered_widths_only_grow() {
        let mut rem = Vec::new();
        let a = GET.format_remembering("NAME\tSTATUS\nlongername\tRunning\n", &mut rem);
        let b = GET.format_remembering("x\tPending\n", &mut rem);
        assert!(a.starts_with("NAME         STATUS"));
        assert_eq!(b, "x            Pending\n");
    }
}

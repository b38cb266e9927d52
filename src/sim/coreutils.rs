//! busybox 1.36's everyday applets on a getopt parser, with busybox's messages and layouts:
//! `sort`, `hostname`, `ip`, `df`, `mount` and `ls`.

use std::net::Ipv4Addr;

use super::fs::normalize;
use super::nettools::getopt;
use super::process::Sys;

/// A container's network as `ip` shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetInfo {
    pub ip: Ipv4Addr,
    pub prefix: u8,
    pub gateway: Ipv4Addr,
    /// flannel's whole pod network (`10.244.0.0/16`).
    pub cluster: String,
    pub mtu: u32,
    /// The host end's interface index (`eth0@if7`).
    pub peer_index: u32,
    /// A host-network pod sees the node's interfaces.
    pub host_network: bool,
}

/// A mount: (mount point, what backs it: `emptyDir`, `configMap`, `secret`, `projected`,
/// `hostPath`, `downwardAPI`, `persistentVolumeClaim`), read-only.
pub type Mount = (String, String, bool);

const BANNER: &str = "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\n";

fn bad_option(err: &mut String, e: &str, usage: &str) -> i32 {
    err.push_str(e);
    err.push('\n');
    err.push_str(BANNER);
    err.push_str(usage);
    err.push('\n');
    1
}

fn flag(opts: &[(String, Option<String>)], c: &str) -> bool {
    opts.iter().any(|(n, _)| n == c)
}

/// busybox `sort` (-n -r -u -f -k N -t SEP).
pub fn sort(
    args: &[&str],
    stdin: Option<&str>,
    cwd: &str,
    out: &mut String,
    err: &mut String,
    sys: &dyn Sys,
) -> i32 {
    let (opts, files) = match getopt("sort", args, "nrufbsk:t:o:", &[]) {
        Ok(x) => x,
        Err(e) => {
            return bad_option(
                err,
                &e,
                "Usage: sort [-nrufbs] [-k START[,END]] [-t CHAR] [-o FILE] [FILE]...",
            )
        }
    };
    let mut text = String::new();
    if files.is_empty() {
        text.push_str(stdin.unwrap_or_default());
    }
    for f in &files {
        if f == "-" {
            text.push_str(stdin.unwrap_or_default());
            continue;
        }
        match sys.read(&normalize(cwd, f)) {
            Ok(s) => text.push_str(&s),
            Err(e) => {
                err.push_str(&format!("sort: can't open '{f}': {}\n", e.text()));
                return 2;
            }
        }
    }
    let sep = opts
        .iter()
        .find(|(n, _)| n == "t")
        .and_then(|(_, v)| v.clone());
    let key: Option<usize> = opts
        .iter()
        .find(|(n, _)| n == "k")
        .and_then(|(_, v)| v.as_deref())
        .and_then(|k| k.split(',').next())
        .and_then(|k| k.split('.').next())
        .and_then(|k| k.parse().ok());
    let field = |line: &str| -> String {
        match key {
            None => line.to_string(),
            Some(k) => {
                let parts: Vec<&str> = match &sep {
                    Some(s) => line.split(s.as_str()).collect(),
                    None => line.split_whitespace().collect(),
                };
                parts
                    .get(k.saturating_sub(1)..)
                    .map(|p| p.join(sep.as_deref().unwrap_or(" ")))
                    .unwrap_or_default()
            }
        }
    };
    let numeric = flag(&opts, "n");
    let fold = flag(&opts, "f");
    let mut lines: Vec<&str> = text.lines().collect();
    let number = |s: &str| -> f64 {
        let t = s.trim_start();
        let end = t
            .char_indices()
            .find(|(i, c)| !(c.is_ascii_digit() || *c == '.' || (*i == 0 && *c == '-')))
            .map_or(t.len(), |(i, _)| i);
        t[..end].parse().unwrap_or(0.0)
    };
    lines.sort_by(|a, b| {
        let (fa, fb) = (field(a), field(b));
        let primary = if numeric {
            number(&fa)
                .partial_cmp(&number(&fb))
                .unwrap_or(std::cmp::Ordering::Equal)
        } else if fold {
            fa.to_uppercase().cmp(&fb.to_uppercase())
        } else {
            fa.cmp(&fb)
        };
        primary.then_with(|| a.cmp(b))
    });
    if flag(&opts, "r") {
        lines.reverse();
    }
    if flag(&opts, "u") {
        lines.dedup_by(|a, b| field(a) == field(b));
    }
    let mut result = String::new();
    for l in lines {
        result.push_str(l);
        result.push('\n');
    }
    out.push_str(&result);
    0
}

/// busybox `hostname` (-s -i -f -d): names come from `/etc/hosts`, as `gethostbyname` finds
/// them there.
pub fn hostname(args: &[&str], out: &mut String, err: &mut String, sys: &dyn Sys) -> i32 {
    let (opts, rest) = match getopt("hostname", args, "isfdF:", &[]) {
        Ok(x) => x,
        Err(e) => return bad_option(err, &e, "Usage: hostname [-sidf] [HOSTNAME | -F FILE]\n\nShow or set hostname or DNS domain name\n\n\t-s\tShort\n\t-i\tAddresses for the hostname\n\t-d\tDNS domain name\n\t-f\tFully qualified domain name\n\t-F FILE\tUse FILE's content as hostname"),
    };
    let name = sys.hostname();
    if !rest.is_empty() || flag(&opts, "F") {
        err.push_str("hostname: sethostname: Operation not permitted\n");
        return 1;
    }
    let hosts = sys.read("/etc/hosts").unwrap_or_default();
    // The first /etc/hosts line naming the host: its address and canonical (first) name.
    let entry = hosts.lines().find_map(|line| {
        let line = line.split('#').next().unwrap_or_default();
        let mut words = line.split_whitespace();
        let ip = words.next()?.parse::<Ipv4Addr>().ok()?;
        let names: Vec<&str> = words.collect();
        names
            .contains(&name.as_str())
            .then(|| (ip, names[0].to_string()))
    });
    if flag(&opts, "i") {
        let ip = entry
            .as_ref()
            .map(|(ip, _)| *ip)
            .or_else(|| sys.resolve(&name));
        return match ip {
            Some(ip) => {
                out.push_str(&format!("{ip} \n"));
                0
            }
            None => {
                err.push_str(&format!("hostname: {name}: Unknown host\n"));
                1
            }
        };
    }
    let canonical = entry.map_or(name.clone(), |(_, n)| n);
    if flag(&opts, "f") {
        out.push_str(&canonical);
        out.push('\n');
    } else if flag(&opts, "d") {
        if let Some((_, domain)) = canonical.split_once('.') {
            out.push_str(domain);
            out.push('\n');
        }
    } else if flag(&opts, "s") {
        out.push_str(name.split('.').next().unwrap_or_default());
        out.push('\n');
    } else {
        out.push_str(&name);
        out.push('\n');
    }
    0
}

/// The MAC the CNI bridge plugin gives a pod: `0a:58:` and the address's bytes.
fn mac(ip: Ipv4Addr) -> String {
    let o = ip.octets();
    format!("0a:58:{:02x}:{:02x}:{:02x}:{:02x}", o[0], o[1], o[2], o[3])
}

/// The link-local IPv6 address derived from a MAC (EUI-64).
fn link_local(ip: Ipv4Addr) -> String {
    let o = ip.octets();
    format!(
        "fe80::858:{:x}:{:x}:{:x}/64",
        u16::from(o[0]) << 8 | 0xff,
        0xfe00 | u16::from(o[1]),
        u16::from(o[2]) << 8 | u16::from(o[3])
    )
}

const IP_USAGE: &str = "Usage: ip [OPTIONS] address|route|link|tunnel|neigh|rule [ARGS]\n\nOPTIONS := -f[amily] inet|inet6|link | -o[neline]\n\nip addr add|del IFADDR dev IFACE | show|flush [dev IFACE] [to PREFIX]\nip route list|flush|add|del|change|append|replace|test ROUTE\nip link set IFACE [up|down] [arp on|off] [multicast on|off]\n\t[promisc on|off] [mtu NUM] [name NAME] [qlen NUM] [address MAC]\n\t[master IFACE | nomaster] [netns PID]\nip tunnel add|change|del|show [NAME]\n\t[mode ipip|gre|sit]\n\t[remote ADDR] [local ADDR] [ttl TTL]\nip neigh show|flush [to PREFIX] [dev DEV] [nud STATE]\nip rule [list] | add|del SELECTOR ACTION";

/// busybox `ip addr|route|link` for the pod's `lo` and `eth0`.
pub fn ip(args: &[&str], out: &mut String, err: &mut String, sys: &dyn Sys) -> i32 {
    let Some(net) = sys.net() else {
        err.push_str("ip: can't find device 'eth0'\n");
        return 1;
    };
    let object = args
        .iter()
        .find(|a| !a.starts_with('-'))
        .copied()
        .unwrap_or("");
    let lo = "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue qlen 1000\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n";
    let (eth_name, eth_mac) = if net.host_network {
        ("2: eth0".to_string(), "52:54:00:12:34:56".to_string())
    } else {
        (format!("2: eth0@if{}", net.peer_index), mac(net.ip))
    };
    let eth = format!(
        "{eth_name}: <BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN> mtu {} qdisc noqueue \n    link/ether {eth_mac} brd ff:ff:ff:ff:ff:ff\n",
        net.mtu
    );
    let mask = u32::MAX
        .checked_shl(32 - u32::from(net.prefix.min(32)))
        .unwrap_or(0);
    let cidr_bits = u32::from(net.ip) & mask;
    let brd = Ipv4Addr::from(cidr_bits | !mask);
    let subnet = Ipv4Addr::from(cidr_bits);
    match object {
        "" => {
            err.push_str(BANNER);
            err.push_str(IP_USAGE);
            err.push('\n');
            1
        }
        o if "address".starts_with(o) || o == "addr" => {
            out.push_str(lo);
            out.push_str("    inet 127.0.0.1/8 scope host lo\n       valid_lft forever preferred_lft forever\n    inet6 ::1/128 scope host \n       valid_lft forever preferred_lft forever\n");
            out.push_str(&eth);
            out.push_str(&format!(
                "    inet {}/{} brd {brd} scope global eth0\n       valid_lft forever preferred_lft forever\n    inet6 {} scope link \n       valid_lft forever preferred_lft forever\n",
                net.ip,
                net.prefix,
                link_local(net.ip)
            ));
            0
        }
        o if "link".starts_with(o) => {
            out.push_str(lo);
            out.push_str(&eth);
            0
        }
        o if "route".starts_with(o) => {
            out.push_str(&format!("default via {} dev eth0 \n", net.gateway));
            if !net.host_network {
                out.push_str(&format!("{} via {} dev eth0 \n", net.cluster, net.gateway));
            }
            out.push_str(&format!(
                "{subnet}/{} dev eth0 scope link  src {} \n",
                net.prefix, net.ip
            ));
            0
        }
        other => {
            err.push_str(&format!("ip: unknown command or object '{other}'\n"));
            1
        }
    }
}

/// What backs a mount point, as `df` and `mount` name it: (device, type).
fn backing(kind: &str) -> (&'static str, &'static str) {
    match kind {
        "secret" | "projected" | "downwardAPI" => ("tmpfs", "tmpfs"),
        _ => ("/dev/sda1", "ext4"),
    }
}

/// busybox `df` (1K blocks; `-h` human sizes).
pub fn df(args: &[&str], out: &mut String, err: &mut String, sys: &dyn Sys) -> i32 {
    let (opts, paths) = match getopt("df", args, "PkmhTaiBt:", &[]) {
        Ok(x) => x,
        Err(e) => return bad_option(err, &e, "Usage: df [-PkmhT] [-t TYPE] [FILESYSTEM]..."),
    };
    let human = flag(&opts, "h");
    let disk = (20_463_184u64, 6_297_084u64);
    let mut rows: Vec<(String, u64, u64, String)> = vec![
        ("overlay".into(), disk.0, disk.1, "/".into()),
        ("tmpfs".into(), 65_536, 0, "/dev".into()),
        ("shm".into(), 65_536, 0, "/dev/shm".into()),
        ("/dev/sda1".into(), disk.0, disk.1, "/etc/hosts".into()),
        (
            "/dev/sda1".into(),
            disk.0,
            disk.1,
            "/dev/termination-log".into(),
        ),
        ("/dev/sda1".into(), disk.0, disk.1, "/etc/hostname".into()),
        (
            "/dev/sda1".into(),
            disk.0,
            disk.1,
            "/etc/resolv.conf".into(),
        ),
    ];
    for (path, kind, _) in sys.mount_table() {
        let (dev, _) = backing(&kind);
        if dev == "tmpfs" {
            rows.push(("tmpfs".into(), 3_906_000, 12, path));
        } else {
            rows.push((dev.into(), disk.0, disk.1, path));
        }
    }
    // With paths, only the filesystem each is on (the longest mount point above it).
    if !paths.is_empty() {
        let mut picked = Vec::new();
        for p in &paths {
            let p = normalize("/", p);
            let best = rows
                .iter()
                .filter(|r| p == r.3 || p.starts_with(&format!("{}/", r.3.trim_end_matches('/'))))
                .max_by_key(|r| r.3.len())
                .cloned();
            match best {
                Some(r) => picked.push(r),
                None => {
                    err.push_str(&format!("df: {p}: No such file or directory\n"));
                }
            }
        }
        rows = picked;
    }
    let size = |kb: u64| -> String {
        if !human || kb == 0 {
            return kb.to_string();
        }
        let units = ['K', 'M', 'G', 'T'];
        let mut v = kb as f64;
        let mut u = 0;
        while v >= 1024.0 && u < 3 {
            v /= 1024.0;
            u += 1;
        }
        if v < 10.0 && u > 0 {
            format!("{v:.1}{}", units[u])
        } else {
            format!("{:.0}{}", v, units[u])
        }
    };
    out.push_str(if human {
        "Filesystem                Size      Used Available Use% Mounted on\n"
    } else {
        "Filesystem           1K-blocks      Used Available Use% Mounted on\n"
    });
    for (dev, total, used, path) in rows {
        let pct = if total == 0 {
            0
        } else {
            (used * 100).div_ceil(total)
        };
        let dev = if dev.len() > 20 {
            format!("{dev}\n{:20}", "")
        } else {
            format!("{dev:<20}")
        };
        out.push_str(&format!(
            "{dev} {:>9} {:>9} {:>9} {:>3}% {path}\n",
            size(total),
            size(used),
            size(total - used),
            pct
        ));
    }
    0
}

/// busybox `mount` with no arguments: the mount table.
pub fn mount(args: &[&str], out: &mut String, err: &mut String, sys: &dyn Sys) -> i32 {
    if !args.is_empty() {
        err.push_str("mount: permission denied (are you root?)\n");
        return 255;
    }
    out.push_str("overlay on / type overlay (rw,relatime,lowerdir=/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/1/fs,upperdir=/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/2/fs,workdir=/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots/2/work)\n");
    out.push_str("proc on /proc type proc (rw,nosuid,nodev,noexec,relatime)\n");
    out.push_str("tmpfs on /dev type tmpfs (rw,nosuid,size=65536k,mode=755)\n");
    out.push_str(
        "devpts on /dev/pts type devpts (rw,nosuid,noexec,relatime,gid=5,mode=620,ptmxmode=666)\n",
    );
    out.push_str("mqueue on /dev/mqueue type mqueue (rw,nosuid,nodev,noexec,relatime)\n");
    out.push_str("sysfs on /sys type sysfs (ro,nosuid,nodev,noexec,relatime)\n");
    out.push_str("cgroup on /sys/fs/cgroup type cgroup2 (ro,nosuid,nodev,noexec,relatime)\n");
    for (path, kind, ro) in sys.mount_table() {
        let (dev, fstype) = backing(&kind);
        let mode = if ro { "ro" } else { "rw" };
        out.push_str(&format!(
            "{dev} on {path} type {fstype} ({mode},relatime)\n"
        ));
    }
    for p in [
        "/etc/hosts",
        "/dev/termination-log",
        "/etc/hostname",
        "/etc/resolv.conf",
    ] {
        out.push_str(&format!("/dev/sda1 on {p} type ext4 (rw,relatime)\n"));
    }
    out.push_str("shm on /dev/shm type tmpfs (rw,nosuid,nodev,noexec,relatime,size=65536k)\n");
    out.push_str("proc on /proc/bus type proc (ro,nosuid,nodev,noexec,relatime)\n");
    out.push_str("tmpfs on /proc/acpi type tmpfs (ro,relatime)\n");
    out.push_str("tmpfs on /sys/firmware type tmpfs (ro,relatime)\n");
    0
}

/// busybox `ls` (-1 -a -A -l -d -R not; one name per line when not on a terminal).
pub fn ls(args: &[&str], cwd: &str, out: &mut String, err: &mut String, sys: &dyn Sys) -> i32 {
    let (opts, paths) = match getopt("ls", args, "1aAlCdFhinrRsStux", &[]) {
        Ok(x) => x,
        Err(e) => {
            return bad_option(
                err,
                &e,
                "Usage: ls [-1AaCxdLHRFplinshrSXvctu] [-w WIDTH] [FILE]...",
            )
        }
    };
    let all = flag(&opts, "a");
    let almost = flag(&opts, "A");
    let long = flag(&opts, "l") || flag(&opts, "n");
    let dirs_only = flag(&opts, "d");
    let reverse = flag(&opts, "r");
    let classify = flag(&opts, "F");
    let paths: Vec<String> = if paths.is_empty() {
        vec![".".into()]
    } else {
        paths
    };
    let date = sys.now();
    let stamp = {
        let t = date.rfc1123z();
        // "Mon, 03 Mar 2025 09:00:00 +0000" → "Mar  3 09:00"
        let parts: Vec<&str> = t.split(' ').collect();
        let day: u32 = parts.get(1).and_then(|d| d.parse().ok()).unwrap_or(1);
        format!(
            "{} {day:>2} {}",
            parts.get(2).copied().unwrap_or("Jan"),
            parts.get(4).map(|h| &h[..5]).unwrap_or("00:00")
        )
    };
    let line = |name: &str, full: &str| -> String {
        let dir = sys.is_dir(full);
        let shown = if classify && dir {
            format!("{name}/")
        } else {
            name.to_string()
        };
        if !long {
            return format!("{shown}\n");
        }
        let (mode, links, size) = if dir {
            ("drwxr-xr-x", 2, 4096)
        } else {
            ("-rw-r--r--", 1, sys.read(full).map_or(0, |c| c.len()))
        };
        format!("{mode} {links:>4} root     root     {size:>9} {stamp} {shown}\n")
    };
    let mut status = 0;
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for p in &paths {
        let full = normalize(cwd, p);
        if !sys.exists(&full) {
            err.push_str(&format!("ls: {p}: No such file or directory\n"));
            status = 1;
        } else if sys.is_dir(&full) && !dirs_only {
            dirs.push((p.clone(), full));
        } else {
            files.push((p.clone(), full));
        }
    }
    for (p, full) in &files {
        out.push_str(&line(p, full));
    }
    let many = paths.len() > 1;
    for (k, (p, full)) in dirs.iter().enumerate() {
        if many {
            if k > 0 || !files.is_empty() {
                out.push('\n');
            }
            out.push_str(&format!("{p}:\n"));
        }
        let mut names = match sys.list(full) {
            Ok(n) => n,
            Err(e) => {
                err.push_str(&format!("ls: {p}: {}\n", e.text()));
                status = 1;
                continue;
            }
        };
        if !all && !almost {
            names.retain(|n| !n.starts_with('.'));
        }
        if all {
            names.insert(0, "..".into());
            names.insert(0, ".".into());
        }
        if reverse {
            names.reverse();
        }
        if long {
            out.push_str(&format!("total {}\n", names.len() * 4));
        }
        for n in names {
            let child = if n == "." {
                full.clone()
            } else if n == ".." {
                normalize(full, "..")
            } else {
                normalize(full, &n)
            };
            out.push_str(&line(&n, &child));
        }
    }
    status
}

/// How many steps one line's matching may take.
const MATCH_BUDGET: u32 = 10_000;
/// How deep a match may nest (group repetitions recurse).
const MAX_DEPTH: u32 = 2_000;

/// Case folding that keeps one character for one character.
fn fold(c: char) -> char {
    let mut l = c.to_lowercase();
    match (l.next(), l.next()) {
        (Some(x), None) => x,
        _ => c,
    }
}

/// One element of a regular expression: what it matches, and how often.
#[derive(Clone, Debug, PartialEq)]
enum Atom {
    Any,
    Char(char),
    Class(Vec<(char, char)>, bool),
    Start,
    End,
    /// A parenthesised group: its alternatives.
    Group(Vec<Vec<(Atom, Rep)>>),
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Rep {
    One,
    Star,
    Plus,
    Optional,
}

/// A small POSIX regular expression (basic or extended, without groups or back-references):
/// what busybox grep patterns learners write use.
#[derive(Clone, Debug)]
pub struct Pattern {
    branches: Vec<Vec<(Atom, Rep)>>,
    icase: bool,
}

impl Pattern {
    pub fn new(pat: &str, extended: bool, fixed: bool, icase: bool) -> Pattern {
        let pat = if icase {
            pat.to_lowercase()
        } else {
            pat.to_string()
        };
        if fixed {
            return Pattern {
                branches: vec![pat.chars().map(|c| (Atom::Char(c), Rep::One)).collect()],
                icase,
            };
        }
        let chars: Vec<char> = pat.chars().collect();
        let mut i = 0;
        let branches = Self::alternatives(&chars, &mut i, extended, 0);
        Pattern { branches, icase }
    }

    /// Parses alternatives up to the end or a closing group bracket.
    fn alternatives(
        chars: &[char],
        i: &mut usize,
        extended: bool,
        depth: usize,
    ) -> Vec<Vec<(Atom, Rep)>> {
        let mut branches = Vec::new();
        let mut cur: Vec<(Atom, Rep)> = Vec::new();
        let quant = |cur: &mut Vec<(Atom, Rep)>, r: Rep, c: char| match cur.last_mut() {
            Some((a, rep)) if *rep == Rep::One && !matches!(a, Atom::Start) => *rep = r,
            _ => cur.push((Atom::Char(c), Rep::One)),
        };
        while *i < chars.len() {
            let c = chars[*i];
            let open = (extended && c == '(')
                || (!extended && c == '\\' && chars.get(*i + 1) == Some(&'('));
            let close = (extended && c == ')')
                || (!extended && c == '\\' && chars.get(*i + 1) == Some(&')'));
            if close && depth > 0 {
                *i += if extended { 1 } else { 2 };
                branches.push(cur);
                return branches;
            }
            if open && depth < 20 {
                *i += if extended { 1 } else { 2 };
                let inner = Self::alternatives(chars, i, extended, depth + 1);
                cur.push((Atom::Group(inner), Rep::One));
                continue;
            }
            match c {
                '\\' if *i + 1 < chars.len() => {
                    *i += 1;
                    match chars[*i] {
                        '+' if !extended => quant(&mut cur, Rep::Plus, '+'),
                        '?' if !extended => quant(&mut cur, Rep::Optional, '?'),
                        '|' if !extended => branches.push(std::mem::take(&mut cur)),
                        d => cur.push((Atom::Char(d), Rep::One)),
                    }
                }
                '.' => cur.push((Atom::Any, Rep::One)),
                '*' if !cur.is_empty() => quant(&mut cur, Rep::Star, '*'),
                '+' if extended => quant(&mut cur, Rep::Plus, '+'),
                '?' if extended => quant(&mut cur, Rep::Optional, '?'),
                '|' if extended => branches.push(std::mem::take(&mut cur)),
                '^' if cur.is_empty() => cur.push((Atom::Start, Rep::One)),
                '$' if *i + 1 == chars.len()
                    || (extended && matches!(chars.get(*i + 1), Some('|' | ')')))
                    || (!extended && chars.get(*i + 1) == Some(&'\\')) =>
                {
                    cur.push((Atom::End, Rep::One))
                }
                '[' => {
                    let mut j = *i + 1;
                    let negate = chars.get(j) == Some(&'^');
                    if negate {
                        j += 1;
                    }
                    let mut ranges = Vec::new();
                    let mut first = true;
                    while j < chars.len() && (chars[j] != ']' || first) {
                        first = false;
                        let a = chars[j];
                        if chars.get(j + 1) == Some(&'-')
                            && chars.get(j + 2).is_some_and(|c| *c != ']')
                        {
                            ranges.push((a, chars[j + 2]));
                            j += 3;
                        } else {
                            ranges.push((a, a));
                            j += 1;
                        }
                    }
                    if j >= chars.len() {
                        // No closing bracket: a literal `[`.
                        cur.push((Atom::Char('['), Rep::One));
                    } else {
                        cur.push((Atom::Class(ranges, negate), Rep::One));
                        *i = j;
                    }
                }
                c => cur.push((Atom::Char(c), Rep::One)),
            }
            *i += 1;
        }
        branches.push(cur);
        branches
    }

    fn atom_matches(a: &Atom, c: char) -> bool {
        match a {
            Atom::Any => true,
            Atom::Char(x) => *x == c,
            Atom::Class(ranges, negate) => {
                ranges.iter().any(|(lo, hi)| *lo <= c && c <= *hi) != *negate
            }
            Atom::Start | Atom::End | Atom::Group(_) => false,
        }
    }

    fn here(
        p: &[(Atom, Rep)],
        t: &[char],
        i: usize,
        budget: &mut u32,
        depth: u32,
    ) -> Option<usize> {
        // Backtracking is bounded: a pathological pattern gives up rather than spin, and
        // nesting stops well before the stack would run out.
        *budget = budget.checked_sub(1)?;
        if depth > MAX_DEPTH {
            return None;
        }
        let Some(((atom, rep), rest)) = p.split_first() else {
            return Some(i);
        };
        if let Atom::Group(alts) = atom {
            // One pass through the group, then the rest (with the group again when it repeats).
            let again: Vec<(Atom, Rep)> = match rep {
                Rep::Star | Rep::Plus => std::iter::once((atom.clone(), Rep::Star))
                    .chain(rest.iter().cloned())
                    .collect(),
                _ => rest.to_vec(),
            };
            for alt in alts {
                let seq: Vec<(Atom, Rep)> =
                    alt.iter().cloned().chain(again.iter().cloned()).collect();
                if let Some(e) = Self::here(&seq, t, i, budget, depth + 1) {
                    // A repetition must consume something, or it would loop.
                    if e > i || !matches!(rep, Rep::Star | Rep::Plus) || again.len() == rest.len() {
                        return Some(e);
                    }
                }
            }
            return match rep {
                Rep::Star | Rep::Optional => Self::here(rest, t, i, budget, depth + 1),
                _ => None,
            };
        }
        match (atom, rep) {
            (Atom::Start, _) => (i == 0)
                .then(|| Self::here(rest, t, i, budget, depth + 1))
                .flatten(),
            (Atom::End, _) => (i == t.len()).then_some(i),
            (_, Rep::One) => (i < t.len() && Self::atom_matches(atom, t[i]))
                .then(|| Self::here(rest, t, i + 1, budget, depth + 1))
                .flatten(),
            (_, rep) => {
                let min = usize::from(*rep == Rep::Plus);
                let max = if *rep == Rep::Optional { 1 } else { usize::MAX };
                let mut n = 0;
                while n < max && i + n < t.len() && Self::atom_matches(atom, t[i + n]) {
                    n += 1;
                }
                // Greedy, giving back one at a time.
                loop {
                    if n >= min {
                        if let Some(e) = Self::here(rest, t, i + n, budget, depth + 1) {
                            return Some(e);
                        }
                    }
                    if n == 0 || n <= min {
                        return None;
                    }
                    n -= 1;
                }
            }
        }
    }

    /// The first match in `line`: (start, end) in characters.
    pub fn find(&self, line: &str) -> Option<(usize, usize)> {
        let text: Vec<char> = line.chars().collect();
        self.find_in(&text, 0, &mut MATCH_BUDGET.clone())
    }

    /// The first match in `text` at or after `from`, as (start, end) character positions of
    /// `text` itself (case is folded one character to one character, so positions agree).
    pub fn find_in(&self, text: &[char], from: usize, budget: &mut u32) -> Option<(usize, usize)> {
        let folded: Vec<char>;
        let text = if self.icase {
            folded = text.iter().map(|c| fold(*c)).collect();
            &folded[..]
        } else {
            text
        };
        (from..=text.len()).find_map(|start| {
            self.branches
                .iter()
                .find_map(|b| Self::here(b, text, start, budget, 0).map(|end| (start, end)))
        })
    }
}

/// busybox `grep` (-q -v -i -c -n -l -h -H -E -F -w -x -o -e PATTERN -s -r not).
pub fn grep(
    args: &[&str],
    stdin: Option<&str>,
    cwd: &str,
    out: &mut String,
    err: &mut String,
    sys: &dyn Sys,
) -> i32 {
    const USAGE: &str = "Usage: grep [-HhnlLoqvsrRiwFE] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...";
    let (opts, mut rest) = match getopt("grep", args, "HhnlLoqvsiwFExcm:A:B:C:e:f:rR", &[]) {
        Ok(x) => x,
        Err(e) => return bad_option(err, &e, USAGE) + 1,
    };
    let mut patterns: Vec<String> = opts
        .iter()
        .filter(|(n, _)| n == "e")
        .filter_map(|(_, v)| v.clone())
        .collect();
    if patterns.is_empty() {
        if rest.is_empty() {
            err.push_str(BANNER);
            err.push_str(USAGE);
            err.push('\n');
            return 2;
        }
        patterns.push(rest.remove(0));
    }
    let extended = flag(&opts, "E");
    let fixed = flag(&opts, "F");
    let icase = flag(&opts, "i");
    let invert = flag(&opts, "v");
    let quiet = flag(&opts, "q");
    let count = flag(&opts, "c");
    let numbers = flag(&opts, "n");
    let names_only = flag(&opts, "l");
    let only = flag(&opts, "o");
    let word = flag(&opts, "w");
    let whole = flag(&opts, "x");
    let silent = flag(&opts, "s");
    let max: Option<usize> = opts
        .iter()
        .find(|(n, _)| n == "m")
        .and_then(|(_, v)| v.as_deref()?.parse().ok());
    let compiled: Vec<Pattern> = patterns
        .iter()
        .flat_map(|p| p.split('\n').map(str::to_string).collect::<Vec<_>>())
        .map(|p| Pattern::new(&p, extended, fixed, icase))
        .collect();
    let matches = |line: &str| -> Option<(usize, usize)> {
        let chars: Vec<char> = line.chars().collect();
        compiled.iter().find_map(|p| {
            // One budget per line and pattern, however often -w or -x make it look again.
            let mut budget = MATCH_BUDGET;
            let mut from = 0;
            while from <= chars.len() {
                let (s, e) = p.find_in(&chars, from, &mut budget)?;
                let ok_word = !word
                    || ((s == 0 || !is_word(chars[s - 1]))
                        && (e >= chars.len() || !is_word(chars[e])));
                let ok_whole = !whole || (s == 0 && e == chars.len());
                if ok_word && ok_whole {
                    return Some((s, e));
                }
                from = s + 1;
            }
            None
        })
    };
    let files: Vec<String> = rest;
    let show_names = (files.len() > 1 || flag(&opts, "H")) && !flag(&opts, "h");
    let mut sources: Vec<(String, Option<String>)> = Vec::new();
    if files.is_empty() {
        sources.push((
            "(standard input)".into(),
            Some(stdin.unwrap_or_default().to_string()),
        ));
    }
    let mut status = 1;
    let mut trouble = false;
    for f in &files {
        if f == "-" {
            sources.push((
                "(standard input)".into(),
                Some(stdin.unwrap_or_default().to_string()),
            ));
            continue;
        }
        match sys.read(&normalize(cwd, f)) {
            Ok(s) => sources.push((f.clone(), Some(s))),
            Err(e) => {
                if !silent {
                    err.push_str(&format!("grep: {f}: {}\n", e.text()));
                }
                trouble = true;
            }
        }
    }
    for (name, text) in sources {
        let text = text.unwrap_or_default();
        let mut found = 0;
        for (n, line) in text.lines().enumerate() {
            if max.is_some_and(|m| found >= m) {
                break;
            }
            let hit = matches(line);
            if hit.is_some() == invert {
                continue;
            }
            found += 1;
            status = 0;
            if quiet {
                return 0;
            }
            if count || names_only {
                continue;
            }
            let prefix = format!(
                "{}{}",
                if show_names {
                    format!("{name}:")
                } else {
                    String::new()
                },
                if numbers {
                    format!("{}:", n + 1)
                } else {
                    String::new()
                }
            );
            match (only, hit) {
                (true, Some((s, e))) => {
                    let part: String = line.chars().skip(s).take(e - s).collect();
                    out.push_str(&format!("{prefix}{part}\n"));
                }
                _ => out.push_str(&format!("{prefix}{line}\n")),
            }
        }
        if count {
            if show_names {
                out.push_str(&format!("{name}:{found}\n"));
            } else {
                out.push_str(&format!("{found}\n"));
            }
        } else if names_only && found > 0 {
            out.push_str(&format!("{name}\n"));
        }
    }
    if trouble && status != 0 {
        return 2;
    }
    status
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Reads the inputs of a text applet: the files named (`-` is standard input), or standard
/// input; a missing file is reported as busybox reports it and skipped.
fn inputs(
    prog: &str,
    files: &[String],
    stdin: Option<&str>,
    cwd: &str,
    err: &mut String,
    sys: &dyn Sys,
) -> (Vec<(String, String)>, bool) {
    if files.is_empty() {
        return (
            vec![("-".into(), stdin.unwrap_or_default().to_string())],
            true,
        );
    }
    let mut ok = true;
    let mut out = Vec::new();
    for f in files {
        if f == "-" {
            out.push((f.clone(), stdin.unwrap_or_default().to_string()));
            continue;
        }
        match sys.read(&normalize(cwd, f)) {
            Ok(text) => out.push((f.clone(), text)),
            Err(e) => {
                err.push_str(&format!("{prog}: can't open '{f}': {}\n", e.text()));
                ok = false;
            }
        }
    }
    (out, ok)
}

/// busybox `cat` (-n numbers every line, -b the non-empty ones).
pub fn cat(
    args: &[&str],
    stdin: Option<&str>,
    cwd: &str,
    out: &mut String,
    err: &mut String,
    sys: &dyn Sys,
) -> i32 {
    let (opts, files) = match getopt("cat", args, "nbvteAu", &[]) {
        Ok(x) => x,
        Err(e) => return bad_option(err, &e, "Usage: cat [-nbvteA] [FILE]..."),
    };
    let (texts, ok) = inputs("cat", &files, stdin, cwd, err, sys);
    let number_all = flag(&opts, "n");
    let number_full = flag(&opts, "b");
    let mut n = 0;
    for (_, text) in texts {
        if !number_all && !number_full {
            out.push_str(&text);
            continue;
        }
        for line in text.split_inclusive('\n') {
            if number_full && line == "\n" {
                out.push_str(line);
                continue;
            }
            n += 1;
            out.push_str(&format!("{n:>6}\t{line}"));
        }
    }
    i32::from(!ok)
}

/// busybox `head` and `tail` (-n N, -n +N for tail, -c N, -NUM, -q/-v headers, -f).
/// Returns the status and whether `tail -f` keeps following.
pub fn head_tail(
    prog: &str,
    args: &[&str],
    stdin: Option<&str>,
    cwd: &str,
    out: &mut String,
    err: &mut String,
    sys: &dyn Sys,
) -> (i32, bool) {
    // The old `-NUM` form means `-n NUM`.
    let args: Vec<String> = args
        .iter()
        .map(|a| match a.strip_prefix('-') {
            Some(d) if !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()) => format!("-n{d}"),
            _ => a.to_string(),
        })
        .collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let spec = if prog == "head" {
        "n:c:qv"
    } else {
        "fFn:c:qvs:"
    };
    let usage = if prog == "head" {
        "Usage: head [OPTIONS] [FILE]..."
    } else {
        "Usage: tail [OPTIONS] [FILE]..."
    };
    let (opts, files) = match getopt(prog, &args, spec, &[]) {
        Ok(x) => x,
        Err(e) => return (bad_option(err, &e, usage), false),
    };
    let count_of = |v: &str| -> Result<(bool, usize), String> {
        let from_start = v.starts_with('+');
        v.trim_start_matches(['+', '-'])
            .parse::<usize>()
            .map(|n| (from_start, n))
            .map_err(|_| format!("{prog}: invalid number '{v}'"))
    };
    let (lines_mode, spec_value) = match (opts.iter().rev().find(|(n, _)| n == "n" || n == "c"))
        .map(|(n, v)| (n == "n", v.clone().unwrap_or_default()))
    {
        Some(x) => x,
        None => (true, "10".to_string()),
    };
    let (from_start, n) = match count_of(&spec_value) {
        Ok(x) => x,
        Err(e) => {
            err.push_str(&e);
            err.push('\n');
            return (1, false);
        }
    };
    let (texts, ok) = inputs(prog, &files, stdin, cwd, err, sys);
    let headers = (texts.len() > 1 && !flag(&opts, "q")) || flag(&opts, "v");
    for (k, (name, text)) in texts.iter().enumerate() {
        if headers {
            if k > 0 {
                out.push('\n');
            }
            let shown = if name == "-" { "standard input" } else { name };
            out.push_str(&format!("==> {shown} <==\n"));
        }
        if lines_mode {
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            let picked: &[&str] = if prog == "head" {
                &lines[..n.min(lines.len())]
            } else if from_start {
                &lines[n.saturating_sub(1).min(lines.len())..]
            } else {
                &lines[lines.len().saturating_sub(n)..]
            };
            out.push_str(&picked.concat());
        } else {
            let bytes = text.as_bytes();
            let slice = if prog == "head" {
                &bytes[..n.min(bytes.len())]
            } else if from_start {
                &bytes[n.saturating_sub(1).min(bytes.len())..]
            } else {
                &bytes[bytes.len().saturating_sub(n)..]
            };
            out.push_str(&String::from_utf8_lossy(slice));
        }
    }
    let follow = prog == "tail" && (flag(&opts, "f") || flag(&opts, "F"));
    (i32::from(!ok), follow)
}

/// busybox `wc` (-l -w -c -m -L).
pub fn wc(
    args: &[&str],
    stdin: Option<&str>,
    cwd: &str,
    out: &mut String,
    err: &mut String,
    sys: &dyn Sys,
) -> i32 {
    let (opts, files) = match getopt("wc", args, "lwcmL", &[]) {
        Ok(x) => x,
        Err(e) => return bad_option(err, &e, "Usage: wc [-cmlwL] [FILE]..."),
    };
    let chosen: Vec<char> = ['l', 'w', 'c', 'm', 'L']
        .into_iter()
        .filter(|c| flag(&opts, &c.to_string()))
        .collect();
    let columns = if chosen.is_empty() {
        vec!['l', 'w', 'c']
    } else {
        chosen
    };
    let (texts, ok) = inputs("wc", &files, stdin, cwd, err, sys);
    let count = |t: &str, c: char| -> usize {
        match c {
            'l' => t.matches('\n').count(),
            'w' => t.split_whitespace().count(),
            'c' => t.len(),
            'm' => t.chars().count(),
            _ => t.lines().map(|l| l.chars().count()).max().unwrap_or(0),
        }
    };
    let mut totals = vec![0usize; columns.len()];
    // One count of standard input prints bare; otherwise numbers take 9 columns.
    let bare = columns.len() == 1 && files.is_empty();
    let line = |counts: &[usize], name: &str| -> String {
        let mut l = String::new();
        for (i, n) in counts.iter().enumerate() {
            if bare || (i == 0 && columns.len() == 1) {
                l.push_str(&n.to_string());
            } else {
                if i > 0 {
                    l.push(' ');
                }
                l.push_str(&format!("{n:>9}"));
            }
        }
        if name != "-" {
            l.push(' ');
            l.push_str(name);
        }
        l.push('\n');
        l
    };
    for (name, text) in &texts {
        let counts: Vec<usize> = columns.iter().map(|c| count(text, *c)).collect();
        for (t, c) in totals.iter_mut().zip(&counts) {
            *t += c;
        }
        out.push_str(&line(&counts, if files.is_empty() { "-" } else { name }));
    }
    if texts.len() > 1 {
        out.push_str(&line(&totals, "total"));
    }
    i32::from(!ok)
}

/// busybox `id` (-u -g -n -G).
pub fn id(args: &[&str], out: &mut String, err: &mut String) -> i32 {
    let (opts, rest) = match getopt("id", args, "ugGnr", &[]) {
        Ok(x) => x,
        Err(e) => return bad_option(err, &e, "Usage: id [-ugGnr] [USER]"),
    };
    if let Some(u) = rest.first().filter(|u| *u != "root") {
        err.push_str(&format!("id: unknown user {u}\n"));
        return 1;
    }
    let names = flag(&opts, "n");
    let text = if flag(&opts, "u") || flag(&opts, "g") {
        if names { "root" } else { "0" }.to_string()
    } else if flag(&opts, "G") {
        if names { "root wheel" } else { "0 10" }.to_string()
    } else {
        "uid=0(root) gid=0(root) groups=0(root),10(wheel)".to_string()
    };
    out.push_str(&text);
    out.push('\n');
    0
}

#[cfg(test)]
mod tests {
    use super::Pattern;

    fn hit(p: &str, ere: bool, line: &str) -> bool {
        Pattern::new(p, ere, false, false).find(line).is_some()
    }

    #[test]
    fn patterns_match_as_grep_does() {
        assert!(hit("^ECHO_", false, "ECHO_SERVICE_HOST=1"));
        assert!(!hit("^ECHO_", false, "X_ECHO_"));
        assert!(hit("HOST=1$", false, "ECHO_SERVICE_HOST=1"));
        assert!(hit("a.c", false, "xabcx"));
        assert!(hit("ab*c", false, "ac"));
        assert!(hit("[0-9][0-9]*", false, "port 80"));
        assert!(!hit("[^a-z]", false, "abc"));
        assert!(hit("ab+c", true, "abbc"));
        assert!(!hit("ab+c", false, "abbc"));
        assert!(hit("ab\\+c", false, "abbc"));
        assert!(hit("cat|dog", true, "hotdog"));
        assert!(Pattern::new("NGINX", false, false, true)
            .find("nginx")
            .is_some());
        assert_eq!(Pattern::new("a.c", false, true, false).find("abc"), None);
        assert_eq!(
            Pattern::new("b+", true, false, false).find("abbbc"),
            Some((1, 4))
        );
    }
}

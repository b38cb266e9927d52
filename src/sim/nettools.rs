//! The network tools inside containers, as busybox 1.36 (and curl 7.88 in the Debian-based
//! images) behave: options parsed as getopt parses them (combined short options, attached
//! values such as `-qO-`, `--` and long options), and the same messages on the same streams
//! with the same exit codes. `networking/wget.c`, `nc_bloaty.c`, `ping.c` and curl's
//! `tool_operate.c` are the reference.

use std::net::Ipv4Addr;

use super::fs::normalize;
use super::process::Sys;

/// The longest a tool waits (as `sleep` and `timeout` are bounded): 1000 hours.
const MAX_WAIT_MS: u64 = 1000 * 3600 * 1000;

/// Seconds given as text, as milliseconds within the bound; None when not a number ≥ 0.
fn seconds_ms(text: &str) -> Option<u64> {
    let v: f64 = text.parse().ok()?;
    (v.is_finite() && v >= 0.0).then(|| ((v * 1000.0) as u64).min(MAX_WAIT_MS))
}

/// How a tool ended: its exit status, and how long it took on the virtual clock.
pub struct Ran {
    pub status: i32,
    pub ms: u64,
}

fn done(status: i32) -> Ran {
    Ran { status, ms: 0 }
}

/// Parsed options: (option, value) in order, and the operands.
pub type Opts = (Vec<(String, Option<String>)>, Vec<String>);

/// GNU getopt_long with argument permutation. `spec` is the short-option string (`"qO:"`: a
/// trailing `:` takes a value); `longs` are (name, takes a value). Long options come back as
/// their names, short ones as one-character strings.
pub fn getopt(
    prog: &str,
    args: &[&str],
    spec: &str,
    longs: &[(&str, bool)],
) -> Result<Opts, String> {
    let takes = |c: char| -> Option<bool> {
        if c == ':' {
            return None;
        }
        let i = spec.find(c)?;
        Some(spec[i + c.len_utf8()..].starts_with(':'))
    };
    let mut opts = Vec::new();
    let mut operands = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i];
        if a == "--" {
            operands.extend(args[i + 1..].iter().map(|s| s.to_string()));
            break;
        }
        if let Some(long) = a.strip_prefix("--") {
            let (name, value) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            // A unique prefix names a long option.
            let matches: Vec<&(&str, bool)> =
                longs.iter().filter(|(l, _)| l.starts_with(name)).collect();
            let exact = longs.iter().find(|(l, _)| *l == name);
            let Some((lname, needs)) = exact.or(if matches.len() == 1 {
                Some(matches[0])
            } else {
                None
            }) else {
                return Err(if matches.len() > 1 {
                    format!("{prog}: option '--{name}' is ambiguous")
                } else {
                    format!("{prog}: unrecognized option '--{name}'")
                });
            };
            if *needs {
                let v = match value {
                    Some(v) => v,
                    None => {
                        i += 1;
                        match args.get(i) {
                            Some(v) => v.to_string(),
                            None => {
                                return Err(format!(
                                    "{prog}: option '--{lname}' requires an argument"
                                ))
                            }
                        }
                    }
                };
                opts.push((lname.to_string(), Some(v)));
            } else if value.is_some() {
                return Err(format!(
                    "{prog}: option '--{lname}' doesn't allow an argument"
                ));
            } else {
                opts.push((lname.to_string(), None));
            }
        } else if a.len() > 1 && a.starts_with('-') {
            let chars: Vec<char> = a[1..].chars().collect();
            let mut j = 0;
            while j < chars.len() {
                let c = chars[j];
                match takes(c) {
                    None => return Err(format!("{prog}: invalid option -- '{c}'")),
                    Some(false) => opts.push((c.to_string(), None)),
                    Some(true) => {
                        let rest: String = chars[j + 1..].iter().collect();
                        let v = if !rest.is_empty() {
                            rest
                        } else {
                            i += 1;
                            match args.get(i) {
                                Some(v) => v.to_string(),
                                None => {
                                    return Err(format!(
                                        "{prog}: option requires an argument -- '{c}'"
                                    ))
                                }
                            }
                        };
                        opts.push((c.to_string(), Some(v)));
                        break;
                    }
                }
                j += 1;
            }
        } else {
            operands.push(a.to_string());
        }
        i += 1;
    }
    Ok((opts, operands))
}

fn has(opts: &[(String, Option<String>)], names: &[&str]) -> bool {
    opts.iter().any(|(n, _)| names.contains(&n.as_str()))
}

fn value<'a>(opts: &'a [(String, Option<String>)], names: &[&str]) -> Option<&'a str> {
    opts.iter()
        .rev()
        .find(|(n, _)| names.contains(&n.as_str()))
        .and_then(|(_, v)| v.as_deref())
}

const BANNER: &str = "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\n";

const WGET_USAGE: &str = "Usage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n\t[--post-data STR | --post-file FILE] [-Y on/off]\n\t[--no-check-certificate] [-P DIR] [-U AGENT] [-T SEC] URL...\n\nRetrieve files via HTTP or FTP\n\n\t--spider\tOnly check URL existence: $? is 0 if exists\n\t--header STR\tAdd STR (of form 'header: value') to headers\n\t--post-data STR\tSend STR using POST method\n\t--post-file FILE\tSend FILE using POST method\n\t--no-check-certificate\tDon't validate the server's certificate\n\t-c\t\tContinue retrieval of aborted transfer\n\t-q\t\tQuiet\n\t-P DIR\t\tSave to DIR (default .)\n\t-S    \t\tShow server response\n\t-T SEC\t\tNetwork read timeout is SEC seconds\n\t-O FILE\t\tSave to FILE ('-' for stdout)\n\t-o LOGFILE\tLog messages to FILE\n\t-U STR\t\tUse STR for User-Agent header\n\t-Y on/off\tUse proxy\n";

const NC_USAGE: &str = "Usage: nc [OPTIONS] HOST PORT  - connect\nnc [OPTIONS] -l -p PORT [HOST] [PORT]  - listen\n\n\t-e PROG\tRun PROG after connect (must be last)\n\t-l\tListen mode, for inbound connects\n\t-lk\tWith -e, provides persistent server\n\t-p PORT\tLocal port\n\t-s ADDR\tLocal address\n\t-w SEC\tTimeout for connects and final net reads\n\t-i SEC\tDelay interval for lines sent\n\t-n\tDon't do DNS resolution\n\t-u\tUDP mode\n\t-b\tAllow broadcasts\n\t-v\tVerbose\n\t-o FILE\tHex dump traffic\n\t-z\tZero-I/O mode (scanning)\n";

const PING_USAGE: &str = "Usage: ping [OPTIONS] HOST\n\nSend ICMP ECHO_REQUESTs to HOST\n\n\t-4,-6\t\tForce IP or IPv6 name resolution\n\t-c CNT\t\tSend only CNT pings\n\t-s SIZE\t\tSend SIZE data bytes in packets (default 56)\n\t-i SECS\t\tInterval\n\t-A\t\tPing as soon as reply is received\n\t-t TTL\t\tSet TTL\n\t-I IFACE/IP\tSource interface or IP address\n\t-W SEC\t\tSeconds to wait for the first response (default 10)\n\t\t\t(after all -c CNT packets are sent)\n\t-w SEC\t\tSeconds until ping exits (default:infinite)\n\t\t\t(can exit earlier with -c CNT)\n\t-q\t\tQuiet, only display output at start/finish\n\t-p HEXBYTE\tPayload pattern\n";

fn usage(err: &mut String, text: &str) -> Ran {
    err.push_str(BANNER);
    err.push_str(text.trim_end_matches('\n'));
    err.push('\n');
    done(1)
}

/// The reason at the end of a connection error (`… (10.96.0.5): Connection refused`).
fn reason(e: &str) -> &str {
    e.rsplit(": ").next().unwrap_or(e)
}

/// The response headers a web server sends, one per line without line ends.
fn headers(sys: &dyn Sys, code: u16, len: usize) -> Vec<String> {
    let server = sys.last_server();
    let date = sys.now().rfc1123z().replace("+0000", "GMT");
    let status = match code {
        200 => "200 OK",
        301 => "301 Moved Permanently",
        403 => "403 Forbidden",
        404 => "404 Not Found",
        500 => "500 Internal Server Error",
        502 => "502 Bad Gateway",
        503 => "503 Service Unavailable",
        _ => "200 OK",
    };
    let mut h = vec![
        format!("HTTP/1.1 {status}"),
        format!("Server: {server}"),
        format!("Date: {date}"),
        "Content-Type: text/html".to_string(),
        format!("Content-Length: {len}"),
    ];
    if code == 200 {
        h.push("Last-Modified: Wed, 05 Feb 2025 11:06:32 GMT".into());
        h.push("Connection: close".into());
        h.push(format!("ETag: \"67a34638-{len:x}\""));
        h.push("Accept-Ranges: bytes".into());
    } else {
        h.push("Connection: close".into());
    }
    h
}

fn status_line(code: u16) -> String {
    let text = match code {
        400 => " Bad Request",
        401 => " Unauthorized",
        403 => " Forbidden",
        404 => " Not Found",
        500 => " Internal Server Error",
        502 => " Bad Gateway",
        503 => " Service Unavailable",
        _ => "",
    };
    format!("HTTP/1.1 {code}{text}")
}

/// `host[:port]` and path of a URL, with the scheme's default port.
fn split(url: &str) -> (String, String, u16, String) {
    let (scheme, rest) = url.split_once("://").unwrap_or(("http", url));
    let (hostport, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let default = if scheme == "https" { 443 } else { 80 };
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) => (h, p.parse().unwrap_or(default)),
        None => (hostport, default),
    };
    (
        hostport.to_string(),
        host.to_string(),
        port,
        path.to_string(),
    )
}

/// busybox's progress bar on a non-terminal: the name in 20 columns, then the whole bar.
fn progress(name: &str, size: usize) -> String {
    let shown: String = name.chars().take(20).collect();
    format!(
        "{shown:<20} 100% |{}| {size:>5}  0:00:00 ETA\n",
        "*".repeat(32)
    )
}

/// busybox `wget`.
pub fn wget(
    args: &[&str],
    cwd: &str,
    out: &mut String,
    err: &mut String,
    sys: &mut dyn Sys,
) -> Ran {
    let longs = [
        ("continue", false),
        ("quiet", false),
        ("server-response", false),
        ("output-document", true),
        ("output-file", true),
        ("directory-prefix", true),
        ("proxy", true),
        ("user-agent", true),
        ("timeout", true),
        ("tries", true),
        ("spider", false),
        ("no-check-certificate", false),
        ("header", true),
        ("post-data", true),
        ("post-file", true),
        ("no-verbose", false),
    ];
    let (opts, urls) = match getopt("wget", args, "cqSO:o:P:Y:U:T:t:n", &longs) {
        Ok(x) => x,
        Err(e) => {
            err.push_str(&e);
            err.push('\n');
            return usage(err, WGET_USAGE);
        }
    };
    let Some(url) = urls.first() else {
        return usage(err, WGET_USAGE);
    };
    let quiet = has(&opts, &["q", "quiet"]);
    let show_headers = has(&opts, &["S", "server-response"]);
    let spider = has(&opts, &["spider"]);
    let output = value(&opts, &["O", "output-document"]).map(str::to_string);
    let timeout: Option<u64> = match value(&opts, &["T", "timeout"]) {
        Some(t) => match seconds_ms(t) {
            Some(ms) => Some(ms),
            None => {
                err.push_str(&format!("wget: invalid number '{t}'\n"));
                return done(1);
            }
        },
        None => None,
    };
    let agent = value(&opts, &["U", "user-agent"])
        .unwrap_or("Wget")
        .to_string();
    if let Some((scheme, _)) = url.split_once("://") {
        if !["http", "https", "ftp", "ftps"].contains(&scheme) {
            err.push_str(&format!("wget: not an http or ftp url: {url}\n"));
            return done(1);
        }
    }
    let full = if url.contains("://") {
        url.clone()
    } else {
        format!("http://{url}")
    };
    let (hostport, host, port, path) = split(&full);
    let Some(ip) = sys.resolve(&host) else {
        err.push_str(&format!("wget: bad address '{hostport}'\n"));
        return done(1);
    };
    if !quiet {
        err.push_str(&format!("Connecting to {hostport} ({ip}:{port})\n"));
    }
    let (code, body) = match sys.http_get(&full, &agent) {
        Ok(r) => r,
        Err(e) => {
            let why = reason(&e);
            if why == "Connection timed out" {
                // The kernel gives up on the SYN after about 127 s; `-T` cuts that short.
                return match timeout.filter(|t| *t > 0 && *t < 127_000) {
                    Some(t) => {
                        err.push_str("wget: download timed out\n");
                        Ran { status: 1, ms: t }
                    }
                    None => {
                        err.push_str(&format!(
                            "wget: can't connect to remote host ({ip}): {why}\n"
                        ));
                        Ran {
                            status: 1,
                            ms: 127_000,
                        }
                    }
                };
            }
            err.push_str(&format!(
                "wget: can't connect to remote host ({ip}): {why}\n"
            ));
            return done(1);
        }
    };
    if show_headers {
        for line in headers(sys, code, body.len()) {
            err.push_str(&format!("  {line}\n"));
        }
        err.push_str("  \n");
    }
    if !(200..300).contains(&code) {
        err.push_str(&format!(
            "wget: server returned error: {}\n",
            status_line(code)
        ));
        return done(1);
    }
    if spider {
        if !quiet {
            err.push_str("remote file exists\n");
        }
        return done(0);
    }
    let to_stdout = output.as_deref() == Some("-");
    if to_stdout {
        if !quiet {
            err.push_str("writing to stdout\n");
            err.push_str(&progress("-", body.len()));
        }
        out.push_str(&body);
        if !quiet {
            err.push_str("written to stdout\n");
        }
        return done(0);
    }
    let file = match &output {
        Some(f) => f.clone(),
        None => {
            let last = path.rsplit('/').next().unwrap_or_default();
            let last = last.split('?').next().unwrap_or_default();
            let name = if last.is_empty() { "index.html" } else { last };
            match value(&opts, &["P", "directory-prefix"]) {
                Some(dir) => format!("{dir}/{name}"),
                None => name.to_string(),
            }
        }
    };
    let target = normalize(cwd, &file);
    if output.is_none() && sys.exists(&target) {
        err.push_str(&format!("wget: can't open '{file}': File exists\n"));
        return done(1);
    }
    if let Err(e) = sys.write(&target, &body, false) {
        err.push_str(&format!("wget: can't open '{file}': {}\n", e.text()));
        return done(1);
    }
    if !quiet {
        err.push_str(&format!("saving to '{file}'\n"));
        let shown = file.rsplit('/').next().unwrap_or(&file);
        err.push_str(&progress(shown, body.len()));
        err.push_str(&format!("'{file}' saved\n"));
    }
    let _ = port;
    done(0)
}

/// busybox `nc` (the netcat 1.10 compatible one).
pub fn nc(args: &[&str], err: &mut String, sys: &mut dyn Sys) -> Ran {
    let (opts, rest) = match getopt("nc", args, "np:s:ubvw:lki:o:ze:", &[]) {
        Ok(x) => x,
        Err(e) => {
            err.push_str(&e);
            err.push('\n');
            return usage(err, NC_USAGE);
        }
    };
    let verbose = opts.iter().filter(|(n, _)| n == "v").count();
    let wait_ms: Option<u64> = match value(&opts, &["w"]) {
        Some(w) => match w.parse::<u64>() {
            Ok(v) => Some(v.saturating_mul(1000).min(MAX_WAIT_MS)),
            Err(_) => {
                err.push_str(&format!("nc: invalid number '{w}'\n"));
                return done(1);
            }
        },
        None => None,
    };
    if has(&opts, &["l"]) {
        // A listener waits for a connection podplay's clients never make: it runs until
        // stopped (or -w seconds).
        let port = value(&opts, &["p"]).unwrap_or("0");
        if verbose > 0 {
            err.push_str(&format!("listening on [::]:{port} ...\n"));
        }
        return match wait_ms {
            Some(ms) if ms > 0 => {
                err.push_str("nc: timeout\n");
                Ran { status: 1, ms }
            }
            _ => Ran {
                status: 0,
                ms: u64::MAX,
            },
        };
    }
    if rest.len() != 2 {
        return usage(err, NC_USAGE);
    }
    let (host, port_text) = (&rest[0], &rest[1]);
    let Ok(port) = port_text.parse::<u16>() else {
        err.push_str(&format!("nc: bad port '{port_text}'\n"));
        return done(1);
    };
    let Some(ip) = sys.resolve(host) else {
        err.push_str(&format!("nc: bad address '{host}'\n"));
        return done(1);
    };
    let dotted = format!("{ip}:{port}");
    match sys.connect(&ip.to_string(), port) {
        Ok(()) => {
            if verbose > 0 {
                err.push_str(&format!("{host} ({dotted}) open\n"));
            }
            if verbose > 1 {
                err.push_str("sent 0, rcvd 0\n");
            }
            done(0)
        }
        Err(e) => {
            let why = reason(&e).to_string();
            let ms = match why.as_str() {
                "Connection timed out" => wait_ms.filter(|w| *w > 0).unwrap_or(127_000),
                _ => 0,
            };
            if verbose > 1 || (verbose == 1 && why != "Connection refused") {
                err.push_str(&format!("nc: {host} ({dotted}): {why}\n"));
            }
            if verbose > 1 {
                err.push_str("sent 0, rcvd 0\n");
            }
            Ran { status: 1, ms }
        }
    }
}

fn ping_time_us(seq: u32) -> u32 {
    80 + (seq * 37) % 400
}

/// busybox `ping`.
pub fn ping(args: &[&str], out: &mut String, err: &mut String, sys: &mut dyn Sys) -> Ran {
    let (opts, rest) = match getopt("ping", args, "qvAc:s:t:w:W:I:np:i:46", &[]) {
        Ok(x) => x,
        Err(e) => {
            err.push_str(&e);
            err.push('\n');
            return usage(err, PING_USAGE);
        }
    };
    if rest.len() != 1 {
        return usage(err, PING_USAGE);
    }
    let number = |names: &[&str], default: u32, err: &mut String| -> Result<u32, ()> {
        match value(&opts, names) {
            Some(v) => v.parse::<u32>().map_err(|_| {
                err.push_str(&format!("ping: invalid number '{v}'\n"));
            }),
            None => Ok(default),
        }
    };
    let Ok(count) = number(&["c"], 0, err) else {
        return done(1);
    };
    let Ok(wait) = number(&["W"], 10, err) else {
        return done(1);
    };
    let Ok(deadline) = number(&["w"], 0, err) else {
        return done(1);
    };
    let quiet = has(&opts, &["q"]);
    let host = &rest[0];
    let Some(ip) = sys.resolve(host) else {
        err.push_str(&format!("ping: bad address '{host}'\n"));
        return done(1);
    };
    // Without -c, ping runs until stopped: podplay stops it at -w, or after 4 (as if ^C).
    let count = match (count, deadline) {
        (0, 0) => 4,
        (0, w) => w.max(1),
        (c, 0) => c,
        (c, w) => c.min(w.max(1)),
    }
    .min(100);
    out.push_str(&format!("PING {host} ({ip}): 56 data bytes\n"));
    match sys.ping(&ip.to_string()) {
        Ok((_, ttl)) => {
            let mut times = Vec::new();
            for seq in 0..count {
                let us = ping_time_us(seq);
                times.push(us);
                if !quiet {
                    out.push_str(&format!(
                        "64 bytes from {ip}: seq={seq} ttl={ttl} time={}.{:03} ms\n",
                        us / 1000,
                        us % 1000
                    ));
                }
            }
            let ms = |us: u32| format!("{}.{:03}", us / 1000, us % 1000);
            let min = times.iter().min().copied().unwrap_or(0);
            let max = times.iter().max().copied().unwrap_or(0);
            let avg = times.iter().sum::<u32>() / count.max(1);
            out.push_str(&format!(
                "\n--- {host} ping statistics ---\n{count} packets transmitted, {count} packets received, 0% packet loss\nround-trip min/avg/max = {}/{}/{} ms\n",
                ms(min),
                ms(avg),
                ms(max)
            ));
            Ran {
                status: 0,
                ms: u64::from(count - 1) * 1000 + 1,
            }
        }
        Err(_) => {
            out.push_str(&format!(
                "\n--- {host} ping statistics ---\n{count} packets transmitted, 0 packets received, 100% packet loss\n"
            ));
            Ran {
                status: 1,
                ms: u64::from(count - 1) * 1000 + u64::from(wait) * 1000,
            }
        }
    }
}

/// curl 7.88 (Debian bookworm's).
pub fn curl(
    args: &[&str],
    cwd: &str,
    out: &mut String,
    err: &mut String,
    sys: &mut dyn Sys,
) -> Ran {
    let longs = [
        ("silent", false),
        ("show-error", false),
        ("head", false),
        ("output", true),
        ("write-out", true),
        ("max-time", true),
        ("connect-timeout", true),
        ("fail", false),
        ("location", false),
        ("include", false),
        ("verbose", false),
        ("request", true),
        ("header", true),
        ("user-agent", true),
        ("insecure", false),
    ];
    let (opts, urls) = match getopt("curl", args, "sSIo:w:m:fLivX:H:A:k", &longs) {
        Ok(x) => x,
        Err(e) => {
            let e = e.replacen("curl: ", "", 1);
            err.push_str(&format!(
                "curl: {e}\ncurl: try 'curl --help' or 'curl --manual' for more information\n"
            ));
            return done(2);
        }
    };
    let silent = has(&opts, &["s", "silent"]);
    let show_error = has(&opts, &["S", "show-error"]);
    let head = has(&opts, &["I", "head"]);
    let include = has(&opts, &["i", "include"]);
    let fail_http = has(&opts, &["f", "fail"]);
    let output = value(&opts, &["o", "output"]).map(str::to_string);
    let write_out = value(&opts, &["w", "write-out"]).map(str::to_string);
    let max_time: Option<u64> = match value(&opts, &["m", "max-time", "connect-timeout"]) {
        Some(m) => match seconds_ms(m) {
            Some(ms) => Some(ms),
            None => {
                err.push_str("curl: option -m: expected a proper numerical parameter\ncurl: try 'curl --help' or 'curl --manual' for more information\n");
                return done(2);
            }
        },
        None => None,
    };
    let agent = value(&opts, &["A", "user-agent"])
        .unwrap_or("curl/7.88.1")
        .to_string();
    let Some(url) = urls.first() else {
        err.push_str("curl: no URL specified!\ncurl: try 'curl --help' or 'curl --manual' for more information\n");
        return done(2);
    };
    let full = if url.contains("://") {
        url.clone()
    } else {
        format!("http://{url}")
    };
    let (_, host, port, _) = split(&full);
    let report = |err: &mut String, code: i32, msg: String| {
        if !silent || show_error {
            err.push_str(&format!("curl: ({code}) {msg}\n"));
        }
    };
    let write = |out: &mut String, code: u16| {
        if let Some(w) = &write_out {
            out.push_str(
                &w.replace("%{http_code}", &format!("{code:03}"))
                    .replace("%{response_code}", &format!("{code:03}"))
                    .replace("\\n", "\n"),
            );
        }
    };
    if sys.resolve(&host).is_none() {
        report(err, 6, format!("Could not resolve host: {host}"));
        write(out, 0);
        return done(6);
    }
    let (code, body) = match sys.http_get(&full, &agent) {
        Ok(r) => r,
        Err(e) => {
            let why = reason(&e);
            if why == "Connection timed out" {
                return match max_time {
                    Some(t) => {
                        report(
                            err,
                            28,
                            format!("Connection timed out after {} milliseconds", t + 1),
                        );
                        write(out, 0);
                        Ran { status: 28, ms: t }
                    }
                    None => {
                        report(err, 28, format!("Failed to connect to {host} port {port} after 130000 ms: Couldn't connect to server"));
                        write(out, 0);
                        Ran {
                            status: 28,
                            ms: 130_000,
                        }
                    }
                };
            }
            let ms = if why == "No route to host" { 3071 } else { 0 };
            report(err, 7, format!("Failed to connect to {host} port {port} after {ms} ms: Couldn't connect to server"));
            write(out, 0);
            return Ran {
                status: 7,
                ms: u64::from(ms == 3071) * 3071,
            };
        }
    };
    if fail_http && code >= 400 {
        report(err, 22, format!("The requested URL returned error: {code}"));
        write(out, code);
        return done(22);
    }
    let mut text = String::new();
    if head || include {
        for line in headers(sys, code, body.len()) {
            text.push_str(&line);
            text.push_str("\r\n");
        }
        text.push_str("\r\n");
    }
    if !head {
        text.push_str(&body);
    }
    match output.as_deref() {
        None | Some("-") => out.push_str(&text),
        Some(file) => {
            if let Err(e) = sys.write(&normalize(cwd, file), &text, false) {
                report(
                    err,
                    23,
                    format!(
                        "Failure writing output to destination, passed {} returned 0",
                        text.len()
                    ),
                );
                let _ = e;
                return done(23);
            }
        }
    }
    // The progress meter goes to stderr when the output is not a terminal.
    if !silent {
        let n = text.len();
        let speed = if n * 1000 < 100_000 {
            format!("{:>5}", n * 1000)
        } else {
            format!("{:>4}k", n * 1000 / 1024)
        };
        err.push_str("  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n");
        err.push_str(&format!(
            "\r100 {n:>5}  100 {n:>5}    0     0 {speed}      0 --:--:-- --:--:-- --:--:-- {speed}\n"
        ));
    }
    write(out, code);
    done(0)
}

/// The address a tool reaches for `host`, for messages.
pub fn shown(ip: Ipv4Addr, port: u16) -> String {
    format!("{ip}:{port}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(args: &[&str], spec: &str) -> Result<Opts, String> {
        getopt(
            "t",
            args,
            spec,
            &[
                ("timeout", true),
                ("spider", false),
                ("server-response", false),
            ],
        )
    }

    #[test]
    fn getopt_reads_bundles_attached_values_long_options_and_dash_dash() {
        let (o, rest) = opts(&["-qO-", "http://web"], "qO:").expect("parses");
        assert_eq!(o, vec![("q".into(), None), ("O".into(), Some("-".into()))]);
        assert_eq!(rest, vec!["http://web".to_string()]);
        let (o, rest) = opts(
            &["web", "-T", "2", "--spider", "--time=5", "--", "-x"],
            "T:",
        )
        .expect("parses");
        assert_eq!(o[0], ("T".into(), Some("2".into())));
        assert_eq!(o[1], ("spider".into(), None));
        assert_eq!(o[2], ("timeout".into(), Some("5".into())));
        assert_eq!(rest, vec!["web".to_string(), "-x".to_string()]);
        assert_eq!(opts(&["-Z"], "q").unwrap_err(), "t: invalid option -- 'Z'");
        assert_eq!(
            opts(&["-O"], "O:").unwrap_err(),
            "t: option requires an argument -- 'O'"
        );
        assert_eq!(
            opts(&["--s"], "").unwrap_err(),
            "t: option '--s' is ambiguous"
        );
        assert_eq!(
            opts(&["--nope"], "").unwrap_err(),
            "t: unrecognized option '--nope'"
        );
    }

    #[test]
    fn progress_lines_have_busybox_widths() {
        assert_eq!(
            progress("index.html", 615),
            "index.html           100% |********************************|   615  0:00:00 ETA\n"
        );
    }
}

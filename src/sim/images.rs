//! The built-in image catalogue: what a registry would serve for the images learners meet
//! first, with their entrypoints, working directories, environment and sizes.

/// One image (a repository, any of whose listed tags exist).
#[derive(Clone, Debug, PartialEq)]
pub struct Image {
    /// Full repository name as containerd names it: `docker.io/library/busybox`.
    pub repo: &'static str,
    pub tags: &'static [&'static str],
    pub entrypoint: &'static [&'static str],
    pub cmd: &'static [&'static str],
    pub workdir: &'static str,
    pub env: &'static [(&'static str, &'static str)],
    /// Compressed size in bytes, as the `Pulled` event reports it.
    pub size: u64,
    /// The manifest digest (hex) reported as `imageID`.
    pub digest: &'static str,
    /// Which shell `/bin/sh` is, for error wording.
    pub bash: bool,
    /// Directories that exist in the image.
    pub dirs: &'static [&'static str],
    /// Files that exist in the image.
    pub files: &'static [(&'static str, &'static str)],
    /// Network tools of podplay's shell that this image does not ship (`curl` is not in
    /// busybox; Debian-based images have no `wget`, `nc` or `ping`).
    pub lacks: &'static [&'static str],
}

const BASE_DIRS: &[&str] = &[
    "/bin",
    "/dev",
    "/etc",
    "/home",
    "/lib",
    "/proc",
    "/root",
    "/sys",
    "/tmp",
    "/usr",
    "/usr/bin",
    "/usr/sbin",
    "/var",
    "/var/log",
    "/var/run",
];

pub const NGINX_INDEX: &str = "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n<style>\nhtml { color-scheme: light dark; }\nbody { width: 35em; margin: 0 auto;\nfont-family: Tahoma, Verdana, Arial, sans-serif; }\n</style>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\nworking. Further configuration is required.</p>\n\n<p>For online documentation and support please refer to\n<a href=\"http://nginx.org/\">nginx.org</a>.<br/>\nCommercial support is available at\n<a href=\"http://nginx.com/\">nginx.com</a>.</p>\n\n<p><em>Thank you for using nginx.</em></p>\n</body>\n</html>\n";

const PATH: (&str, &str) = (
    "PATH",
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
);

pub const CATALOGUE: &[Image] = &[
    Image {
        repo: "docker.io/library/busybox",
        tags: &["latest", "1.36", "1.36.1", "1.37", "1.37.0", "stable", "musl", "glibc", "uclibc"],
        entrypoint: &[],
        cmd: &["sh"],
        workdir: "/",
        env: &[("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")],
        size: 2_167_089,
        digest: "37f7b378a29ceb4c551b1b5582e27747b855bbfaa73fa11914fe0df028dc581f",
        bash: false,
        dirs: BASE_DIRS,
        files: &[("/etc/hostname", ""), ("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\n")],
        lacks: &["curl"],
    },
    Image {
        repo: "docker.io/library/alpine",
        tags: &["latest", "3.20", "3.21", "3.22", "3"],
        entrypoint: &[],
        cmd: &["/bin/sh"],
        workdir: "/",
        env: &[PATH],
        size: 3_653_068,
        digest: "a8560b36e8b8210634f77d9f7f9efd7ffa463e380b75e2e74aff4511df3ef88c",
        bash: false,
        dirs: BASE_DIRS,
        files: &[("/etc/alpine-release", "3.21.3\n")],
        lacks: &["curl"],
    },
    Image {
        repo: "docker.io/library/ubuntu",
        tags: &["latest", "24.04", "22.04", "20.04", "noble", "jammy", "focal"],
        entrypoint: &[],
        cmd: &["/bin/bash"],
        workdir: "/",
        env: &[PATH],
        size: 29_754_127,
        digest: "72297848456d5d37d1262630108ab308d3e9ec7ed1c3286a32fe09856619a782",
        bash: true,
        dirs: BASE_DIRS,
        files: &[("/etc/os-release", "PRETTY_NAME=\"Ubuntu 24.04.2 LTS\"\nNAME=\"Ubuntu\"\nVERSION_ID=\"24.04\"\n")],
        lacks: &["curl", "wget", "nc", "ping", "nslookup"],
    },
    Image {
        repo: "docker.io/library/nginx",
        tags: &["latest", "1.27", "1.27.4", "1.26", "stable", "mainline", "alpine"],
        entrypoint: &["/docker-entrypoint.sh"],
        cmd: &["nginx", "-g", "daemon off;"],
        workdir: "/",
        env: &[PATH, ("NGINX_VERSION", "1.27.4"), ("NJS_VERSION", "0.8.9"), ("NJS_RELEASE", "1~bookworm"), ("PKG_RELEASE", "1~bookworm"), ("DYNPKG_RELEASE", "1~bookworm")],
        size: 72_188_133,
        digest: "124b44bfc9ccd1f3cedf4b592d4d1e8bddb78b51ec2ed5056c52d3692baebc19",
        bash: true,
        dirs: &["/bin", "/dev", "/etc", "/etc/nginx", "/etc/nginx/conf.d", "/root", "/tmp", "/usr", "/usr/share", "/usr/share/nginx", "/usr/share/nginx/html", "/var", "/var/log", "/var/log/nginx", "/docker-entrypoint.d"],
        files: &[("/usr/share/nginx/html/index.html", NGINX_INDEX), ("/usr/share/nginx/html/50x.html", "<!DOCTYPE html>\n<html>\n<head>\n<title>Error</title>\n</head>\n<body>\n<h1>An error occurred.</h1>\n</body>\n</html>\n")],
        lacks: &["wget", "nc", "ping", "nslookup"],
    },
    Image {
        repo: "docker.io/library/httpd",
        tags: &["latest", "2.4", "2"],
        entrypoint: &[],
        cmd: &["httpd-foreground"],
        workdir: "/usr/local/apache2",
        env: &[PATH, ("HTTPD_PREFIX", "/usr/local/apache2"), ("HTTPD_VERSION", "2.4.63")],
        size: 58_125_014,
        digest: "4564ca7604957765bd2598e14134a1c6812067f0daddd7dc5a484431dd03832b",
        bash: true,
        dirs: &["/bin", "/dev", "/etc", "/root", "/tmp", "/usr", "/usr/local", "/usr/local/apache2", "/usr/local/apache2/htdocs"],
        files: &[("/usr/local/apache2/htdocs/index.html", "<html><body><h1>It works!</h1></body></html>\n")],
        lacks: &["curl", "wget", "nc", "ping", "nslookup"],
    },
    Image {
        repo: "docker.io/ikubernetes/myapp",
        tags: &["v2"],
        entrypoint: &[],
        cmd: &["nginx", "-g", "daemon off;"],
        workdir: "/",
        env: &[PATH, ("NGINX_VERSION", "1.12.2")],
        size: 6_679_190,
        digest: "5f4afc8302ade316fc47c99ee1d41f8ba94dbe7e3e7747dd87215a15429b9102",
        bash: false,
        dirs: &["/bin", "/dev", "/etc", "/root", "/tmp", "/usr", "/usr/share", "/usr/share/nginx", "/usr/share/nginx/html"],
        files: &[("/usr/share/nginx/html/index.html", "Hello MyApp | Version: v2 | <a href=\"hostname.html\">Pod Name</a>\n")],
        lacks: &["curl"],
    },
    Image {
        repo: "docker.io/ikubernetes/myapp",
        tags: &["v1", "v3"],
        entrypoint: &[],
        cmd: &["nginx", "-g", "daemon off;"],
        workdir: "/",
        env: &[PATH, ("NGINX_VERSION", "1.12.2")],
        size: 6_679_196,
        digest: "9c3dc30b5219788b2b8a4b065f548b922a34479577befb54b03330999d30d513",
        bash: false,
        dirs: &["/bin", "/dev", "/etc", "/root", "/tmp", "/usr", "/usr/share", "/usr/share/nginx", "/usr/share/nginx/html"],
        files: &[("/usr/share/nginx/html/index.html", "Hello MyApp | Version: v1 | <a href=\"hostname.html\">Pod Name</a>\n")],
        lacks: &["curl"],
    },
    Image {
        repo: "docker.io/library/redis",
        tags: &["latest", "7", "7.4", "8"],
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["redis-server"],
        workdir: "/data",
        env: &[PATH, ("REDIS_VERSION", "7.4.2")],
        size: 45_974_315,
        digest: "bd41d55aae1ecff61b2fafd0d66761223fe94a60373eb6bb781cfbb570a84079",
        bash: true,
        dirs: &["/bin", "/data", "/dev", "/etc", "/root", "/tmp", "/usr"],
        files: &[],
        lacks: &["curl", "wget", "nc", "ping", "nslookup"],
    },
    Image {
        repo: "docker.io/polinux/stress",
        tags: &["latest"],
        entrypoint: &[],
        cmd: &["stress", "--help"],
        workdir: "/",
        env: &[PATH],
        size: 4_041_495,
        digest: "b6144f84f9c15dac80deb48d3a646b55c7043ab1d83ea0a697c09097aaad21aa",
        bash: false,
        dirs: BASE_DIRS,
        files: &[],
        lacks: &["curl"],
    },
    Image {
        repo: "registry.k8s.io/pause",
        tags: &["3.10", "3.9", "latest"],
        entrypoint: &["/pause"],
        cmd: &[],
        workdir: "/",
        env: &[],
        size: 320_368,
        digest: "ee6521f290b2168b6e0935a181d4cff9be1ac3f505666ef0e3c98fae8199917a",
        bash: false,
        dirs: &["/"],
        files: &[],
        lacks: &["curl", "wget", "nc", "ping", "nslookup"],
    },
];

/// An image reference split into its parts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    /// `docker.io/library/busybox`
    pub repo: String,
    /// `latest` when no tag or digest is given.
    pub tag: String,
}

impl Reference {
    /// Normalises a user's image string as containerd does.
    pub fn parse(image: &str) -> Option<Reference> {
        if image.is_empty()
            || image
                .chars()
                .any(|c| c.is_whitespace() || c.is_ascii_uppercase())
        {
            return None;
        }
        let (name, tag) = match image.split_once('@') {
            Some((n, d)) => (n.to_string(), d.to_string()),
            None => {
                let last = image.rsplit('/').next().unwrap_or(image);
                match last.split_once(':') {
                    Some((_, t)) => (
                        image[..image.len() - t.len() - 1].to_string(),
                        t.to_string(),
                    ),
                    None => (image.to_string(), "latest".to_string()),
                }
            }
        };
        let first = name.split('/').next().unwrap_or_default();
        let has_registry = name.contains('/')
            && (first.contains('.') || first.contains(':') || first == "localhost");
        let repo = if has_registry {
            name
        } else if name.contains('/') {
            format!("docker.io/{name}")
        } else {
            format!("docker.io/library/{name}")
        };
        Some(Reference { repo, tag })
    }

    /// `docker.io/library/busybox:latest`
    pub fn full(&self) -> String {
        if self.tag.starts_with("sha256:") {
            format!("{}@{}", self.repo, self.tag)
        } else {
            format!("{}:{}", self.repo, self.tag)
        }
    }
}

/// Looks an image up in the catalogue.
pub fn lookup(r: &Reference) -> Option<&'static Image> {
    CATALOGUE.iter().find(|i| {
        i.repo == r.repo && (i.tags.contains(&r.tag.as_str()) || r.tag.starts_with("sha256:"))
    })
}

/// nginx's error-log time stamp: `2025/03/03 09:00:05`.
pub(crate) fn nginx_time(t: super::time::SimTime) -> String {
    let r = t.rfc3339();
    format!("{}/{}/{} {}", &r[0..4], &r[5..7], &r[8..10], &r[11..19])
}

/// What the official nginx image prints when it starts (entrypoint scripts, then nginx).
pub fn nginx_startup(t: super::time::SimTime, cpus: u32) -> String {
    let ts = nginx_time(t);
    let mut s = String::from(
        "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration\n\
         /docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/\n\
         /docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh\n\
         10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf\n\
         10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf\n\
         /docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh\n\
         /docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh\n\
         /docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh\n\
         /docker-entrypoint.sh: Configuration complete; ready for start up\n",
    );
    for line in [
        "using the \"epoll\" event method".to_string(),
        "nginx/1.27.4".to_string(),
        "built by gcc 12.2.0 (Debian 12.2.0-14) ".to_string(),
        "OS: Linux 5.15.0-131-generic".to_string(),
        "getrlimit(RLIMIT_NOFILE): 1048576:1048576".to_string(),
        "start worker processes".to_string(),
    ] {
        s.push_str(&format!("{ts} [notice] 1#1: {line}\n"));
    }
    for w in 0..cpus.max(1) {
        s.push_str(&format!(
            "{ts} [notice] 1#1: start worker process {}\n",
            29 + w
        ));
    }
    s
}

/// What nginx logs when it is stopped: SIGQUIT from the runtime (graceful) or SIGTERM from
/// `nginx -s stop` run as process `from`.
pub fn nginx_shutdown(t: super::time::SimTime, cpus: u32, from: Option<u32>) -> String {
    let ts = nginx_time(t);
    let workers: Vec<u32> = (0..cpus.max(1)).map(|w| 29 + w).collect();
    let mut s = match from {
        None => format!("{ts} [notice] 1#1: signal 3 (SIGQUIT) received, shutting down\n"),
        Some(pid) => {
            format!("{ts} [notice] 1#1: signal 15 (SIGTERM) received from {pid}, exiting\n")
        }
    };
    if from.is_none() {
        for w in &workers {
            s.push_str(&format!(
                "{ts} [notice] {w}#{w}: gracefully shutting down\n"
            ));
        }
    }
    for w in &workers {
        s.push_str(&format!("{ts} [notice] {w}#{w}: exiting\n"));
    }
    for w in &workers {
        s.push_str(&format!("{ts} [notice] {w}#{w}: exit\n"));
    }
    for w in &workers {
        s.push_str(&format!("{ts} [notice] 1#1: signal 17 (SIGCHLD) received from {w}\n{ts} [notice] 1#1: worker process {w} exited with code 0\n{ts} [notice] 1#1: signal 29 (SIGIO) received\n"));
    }
    s.push_str(&format!("{ts} [notice] 1#1: exit\n"));
    s
}

/// The `[notice] … signal process started` line `nginx -s` prints on its own stderr.
pub fn nginx_signaller(t: super::time::SimTime, pid: u32) -> String {
    format!(
        "{} [notice] {pid}#{pid}: signal process started\n",
        nginx_time(t)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references() {
        let r = Reference::parse("busybox").expect("valid");
        assert_eq!(r.full(), "docker.io/library/busybox:latest");
        assert!(lookup(&r).is_some());
        let r = Reference::parse("ikubernetes/myapp:v1").expect("valid");
        assert_eq!(r.full(), "docker.io/ikubernetes/myapp:v1");
        assert!(lookup(&r).is_some());
        let r = Reference::parse("registry.k8s.io/pause:3.10").expect("valid");
        assert_eq!(r.repo, "registry.k8s.io/pause");
        assert!(Reference::parse("Busybox").is_none());
        assert!(lookup(&Reference::parse("nginx:nope").expect("valid")).is_none());
    }
}

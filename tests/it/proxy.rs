//! A real forwarding proxy (Debian's tinyproxy, started here) between webex-wizard and a TLS
//! server: the proxy sees the CONNECT, `NO_PROXY` bypasses it, loopback never uses it, and a
//! proxy that wants a password, refuses the tunnel or is gone gets its own message.

use crate::common;

use std::io::Read;
use std::net::IpAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::tls::{PrivateCa, TlsFront, outward_ip};
use common::{Home, expose, free_port, good_flags, missing, run, wizard};

/// tinyproxy on a loopback port, logging every connection to a file.
struct Tinyproxy {
    child: Child,
    port: u16,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl Tinyproxy {
    fn start(extra: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("tinyproxy.log");
        let conf = dir.path().join("tinyproxy.conf");
        // A port another test took between our check and tinyproxy's bind makes tinyproxy
        // exit: then try another. Ready is tinyproxy's own word in its own log.
        for _ in 0..5 {
            let port = free_port();
            let _ = std::fs::remove_file(&log);
            std::fs::write(
                &conf,
                format!(
                    "Port {port}\nListen 127.0.0.1\nTimeout 30\nLogFile \"{}\"\nLogLevel Info\nMaxClients 20\nAllow 127.0.0.1\n{extra}\n",
                    log.display()
                ),
            )
            .unwrap();
            let mut child = Command::new("tinyproxy")
                .arg("-d")
                .arg("-c")
                .arg(&conf)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            let deadline = Instant::now() + Duration::from_secs(10);
            loop {
                let text = std::fs::read_to_string(&log).unwrap_or_default();
                if text.contains("Accepting connections") {
                    return Tinyproxy {
                        child,
                        port,
                        log,
                        _dir: dir,
                    };
                }
                if child.try_wait().unwrap().is_some() {
                    break;
                }
                assert!(
                    Instant::now() < deadline,
                    "tinyproxy did not start:\n{text}"
                );
                std::thread::yield_now();
            }
        }
        panic!("tinyproxy could not get a port in five tries");
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// How many CONNECTs to `target` the proxy logged.
    fn connects_to(&self, target: &str) -> usize {
        let mut text = String::new();
        if let Ok(mut f) = std::fs::File::open(&self.log) {
            f.read_to_string(&mut text).unwrap();
        }
        text.matches(&format!("CONNECT {target} ")).count()
    }
}

impl Drop for Tinyproxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The sandbox behind TLS on this machine's outward address, which a proxy must be used for.
fn outward_front() -> Option<(common::Sandbox, PrivateCa, TlsFront, IpAddr)> {
    let Some(ip) = outward_ip() else {
        common::skip("no address other than loopback");
        return None;
    };
    // The front is on another address: the sandbox is told to answer to it.
    let sandbox = common::sandbox_with(common::SandboxConfig {
        also_answer_as: vec![ip.to_string()],
        ..Default::default()
    });
    let ca = PrivateCa::new(&[ip.to_string()]);
    let front = TlsFront::start(&ca, ip, sandbox.addr());
    Some((sandbox, ca, front, ip))
}

#[test]
fn the_proxy_sees_the_connect_and_no_proxy_goes_around_it() {
    if missing(&["tinyproxy"]) {
        return;
    }
    let Some((sandbox, ca, front, ip)) = outward_front() else {
        return;
    };
    let proxy = Tinyproxy::start("");
    let home = Home::new();
    let ca_file = ca.write_ca(home.path());
    let target = front.addr.to_string();
    let create = |envs: &[(&str, &str)], flags: &[&str]| {
        let mut cmd = wizard(&home);
        cmd.env("WEBEX_ADMIN_TOKEN", expose(sandbox.admin_token()))
            .args(["--api-base", &front.base()])
            .arg("--ca-bundle")
            .arg(&ca_file)
            .args(flags)
            .args(good_flags());
        for (k, v) in envs {
            cmd.env(k, v);
        }
        run(&mut cmd)
    };

    let through = create(&[("HTTPS_PROXY", &proxy.url())], &[]);
    assert_eq!(through.code, 0, "{}", through.stderr);
    let seen = proxy.connects_to(&target);
    // Issue 22: the token check, the list and the create go through one tunnel, over one
    // TLS connection.
    assert_eq!(seen, 1, "CONNECTs to {target} for one create");

    let around = create(
        &[("HTTPS_PROXY", &proxy.url()), ("NO_PROXY", &ip.to_string())],
        &[],
    );
    assert_eq!(around.code, 0, "{}", around.stderr);
    assert_eq!(
        proxy.connects_to(&target),
        seen,
        "NO_PROXY was not honoured"
    );

    // doctor names the proxy and where it was set, and says why NO_PROXY goes around it.
    let doctor = |envs: &[(&str, &str)]| {
        let mut cmd = wizard(&home);
        cmd.env("WEBEX_ADMIN_TOKEN", expose(sandbox.admin_token()))
            .args(["--api-base", &front.base()])
            .arg("--ca-bundle")
            .arg(&ca_file)
            .args(["doctor", "--json"]);
        for (k, v) in envs {
            cmd.env(k, v);
        }
        let r = run(&mut cmd);
        assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
        let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        doc["checks"][1].clone()
    };
    let via = doctor(&[("HTTPS_PROXY", &proxy.url())]);
    assert_eq!(via["data"]["proxy"], proxy.url(), "{via}");
    assert_eq!(via["data"]["from"], "HTTPS_PROXY", "{via}");
    let exempt = doctor(&[("HTTPS_PROXY", &proxy.url()), ("NO_PROXY", &ip.to_string())]);
    assert_eq!(exempt["data"]["noProxy"], ip.to_string(), "{exempt}");
    assert!(
        exempt["detail"].as_str().unwrap().contains("NO_PROXY"),
        "{exempt}"
    );

    // --proxy wins over a proxy in the environment that is gone.
    let dead = format!("http://127.0.0.1:{}", free_port());
    let flag = create(&[("HTTPS_PROXY", &dead)], &["--proxy", &proxy.url()]);
    assert_eq!(flag.code, 0, "{}", flag.stderr);
    assert!(proxy.connects_to(&target) > seen, "--proxy was not used");
}

#[test]
fn demo_works_with_a_dead_proxy_in_the_environment() {
    let home = Home::new();
    let dead = format!("http://127.0.0.1:{}", free_port());
    let r = run(wizard(&home)
        .env("HTTPS_PROXY", &dead)
        .env("HTTP_PROXY", &dead)
        .env("ALL_PROXY", &dead)
        .env("https_proxy", &dead)
        .args([
            "--demo",
            "create",
            "--from",
            "assets/example-integration.json",
        ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Client ID"), "{}", r.stdout);
}

/// A create through `proxy_url` to a host only the proxy could reach, logging everything
/// (reqwest's and hyper's own debug lines too) to stderr.
fn create_via(home: &Home, proxy_url: &str) -> common::Run {
    run(wizard(home)
        .env("WEBEX_ADMIN_TOKEN", "not-used")
        .env("HTTPS_PROXY", proxy_url)
        .args(["-vvv", "--api-base", "https://webex.invalid:8443/v1"])
        .args(good_flags()))
}

#[test]
fn a_proxy_that_wants_a_password_is_named_and_the_password_never_shown() {
    if missing(&["tinyproxy"]) {
        return;
    }
    let proxy = Tinyproxy::start("BasicAuth alice s3cret-pw");
    let home = Home::new();
    let r = create_via(&home, &proxy.url());
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(
        r.stderr.contains("407 Proxy Authentication Required"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains(&format!(
            "the proxy {} (from HTTPS_PROXY) asks for a user name and password",
            proxy.url()
        )),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("http://user:password@proxy:port"),
        "{}",
        r.stderr
    );

    // With the password the proxy lets the CONNECT through (then webex.invalid doesn't
    // resolve, so the tunnel fails), and the password appears nowhere.
    let with_password = format!("http://alice:s3cret-pw@127.0.0.1:{}", proxy.port);
    let r = create_via(&home, &with_password);
    assert_eq!(r.code, 4, "{}", r.stderr);
    // (Not just "407": the -vvv log's timestamps can hold those digits.)
    assert!(
        !r.stderr.contains("407 Proxy Authentication Required"),
        "{}",
        r.stderr
    );
    assert!(
        !r.stderr.contains("s3cret-pw") && !r.stdout.contains("s3cret-pw"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("did not open a tunnel to webex.invalid:8443"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_proxy_that_refuses_the_tunnel_gets_its_own_advice() {
    if missing(&["tinyproxy"]) {
        return;
    }
    // Only CONNECT to port 443 is allowed; the API base is on 8443: 403.
    let proxy = Tinyproxy::start("ConnectPort 443");
    let home = Home::new();
    let r = create_via(&home, &proxy.url());
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("did not open a tunnel to webex.invalid:8443"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("403 Forbidden"), "{}", r.stderr);
    assert!(
        r.stderr.contains("allow CONNECT to webex.invalid:8443"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_proxy_that_is_gone_is_named() {
    let home = Home::new();
    let dead = format!("http://127.0.0.1:{}", free_port());
    let r = create_via(&home, &dead);
    assert_eq!(r.code, 4, "{}", r.stderr);
    assert!(
        r.stderr.contains(&format!(
            "could not reach the proxy {dead} (from HTTPS_PROXY) to get to webex.invalid:8443"
        )),
        "{}",
        r.stderr
    );
}

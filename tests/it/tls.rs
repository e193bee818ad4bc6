//! A real TLS server signed by a private CA, as behind an agency's TLS inspection: refused with
//! advice, then accepted with `--ca-bundle` or `SSL_CERT_FILE`. CI runs these in the FIPS build too.

use crate::common;

use common::tls::{CA_NAME, PrivateCa, TlsFront};
use common::{Home, expose, good_flags, run, wizard};

fn front() -> (common::Sandbox, PrivateCa, TlsFront) {
    let sandbox = common::sandbox();
    let ca = PrivateCa::new(&["127.0.0.1".into(), "localhost".into()]);
    let front = TlsFront::start(&ca, "127.0.0.1".parse().unwrap(), sandbox.addr());
    (sandbox, ca, front)
}

#[test]
fn a_private_ca_is_refused_naming_host_and_issuer_then_trusted_with_ca_bundle() {
    let (sandbox, ca, front) = front();
    let home = Home::new();
    let token = expose(sandbox.admin_token());
    let refused = run(wizard(&home)
        .env("WEBEX_ADMIN_TOKEN", &token)
        .args(["--api-base", &front.base()])
        .args(good_flags()));
    assert_eq!(refused.code, 4, "{}", refused.stderr);
    assert!(refused.stdout.is_empty(), "{}", refused.stdout);
    let err = &refused.stderr;
    assert!(err.contains("could not verify 127.0.0.1"), "{err}");
    assert!(
        err.contains(CA_NAME),
        "the untrusted issuer is named: {err}"
    );
    assert!(err.contains("Trusted here: the system store"), "{err}");
    assert!(err.contains("--ca-bundle FILE"), "{err}");
    assert!(err.contains("SSL_CERT_FILE"), "{err}");
    assert!(err.contains("never turned off"), "{err}");

    let ca_file = ca.write_ca(home.path());
    let trusted = run(wizard(&home)
        .env("WEBEX_ADMIN_TOKEN", &token)
        .args(["--api-base", &front.base()])
        .arg("--ca-bundle")
        .arg(&ca_file)
        .args(good_flags()));
    assert_eq!(trusted.code, 0, "{}", trusted.stderr);
    assert!(trusted.stdout.contains("Client ID"), "{}", trusted.stdout);
}

#[test]
fn ssl_cert_file_is_honoured_like_ca_bundle() {
    let (sandbox, ca, front) = front();
    let home = Home::new();
    let ca_file = ca.write_ca(home.path());
    let trusted = run(wizard(&home)
        .env("WEBEX_ADMIN_TOKEN", expose(sandbox.admin_token()))
        .env("SSL_CERT_FILE", &ca_file)
        .args(["--api-base", &front.base()])
        .args(good_flags()));
    assert_eq!(trusted.code, 0, "{}", trusted.stderr);
    assert!(trusted.stdout.contains("Client ID"), "{}", trusted.stdout);
}

#[test]
fn a_ca_bundle_that_is_not_pem_is_a_usage_error_before_anything_is_sent() {
    let (sandbox, _ca, front) = front();
    let home = Home::new();
    let bogus = home.path().join("bogus.pem");
    std::fs::write(&bogus, "just text\n").unwrap();
    let r = run(wizard(&home)
        .env("WEBEX_ADMIN_TOKEN", expose(sandbox.admin_token()))
        .args(["--api-base", &front.base()])
        .arg("--ca-bundle")
        .arg(&bogus)
        .args(good_flags()));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("holds no certificate"), "{}", r.stderr);
}

//! Which proxy, if any, a request to an API base goes through, and why.
//!
//! `--proxy URL` first, then the variables curl reads: `HTTPS_PROXY`/`https_proxy` (or
//! `HTTP_PROXY`/`http_proxy` for http), then `ALL_PROXY`/`all_proxy`; `NO_PROXY`/`no_proxy`
//! exempts hosts (matched as reqwest and curl match it). A loopback base is always reached
//! directly: a proxy elsewhere can't see this machine's loopback.

use std::fmt;

use crate::types::ApiBase;

/// How requests to one API base travel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Direct(Direct),
    Proxy(Proxy),
}

/// Why there is no proxy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Direct {
    Loopback,
    /// A proxy is set, but `NO_PROXY` names the host.
    NoProxy {
        proxy: Proxy,
        no_proxy: String,
    },
    NoneSet,
}

/// A proxy and where it was set.
#[derive(Clone, PartialEq, Eq)]
pub struct Proxy {
    /// As given; may carry a user name and password, so it is never shown.
    url: String,
    /// `--proxy` or the variable's name.
    pub from: String,
}

impl fmt::Debug for Proxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Proxy({} from {})", self.shown(), self.from)
    }
}

impl Proxy {
    /// The URL to connect with (credentials included).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The URL without a user name or password, for messages and logs.
    pub fn shown(&self) -> String {
        match url::Url::parse(&self.url) {
            Ok(mut u) => {
                let _ = u.set_password(None);
                let _ = u.set_username("");
                u.as_str().trim_end_matches('/').to_owned()
            }
            Err(_) => "(an unreadable proxy address)".into(),
        }
    }
}

impl fmt::Display for Proxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (from {})", self.shown(), self.from)
    }
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Route::Proxy(p) => write!(f, "through {p}"),
            Route::Direct(Direct::Loopback) => {
                f.write_str("direct: a loopback address never goes through a proxy")
            }
            Route::Direct(Direct::NoProxy { proxy, no_proxy }) => write!(
                f,
                "direct: NO_PROXY ({no_proxy}) exempts the host from {}",
                proxy.shown()
            ),
            Route::Direct(Direct::NoneSet) => f.write_str("direct: no proxy is set"),
        }
    }
}

/// The environment variables a proxy may come from.
pub const VARIABLES: [&str; 6] = [
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// The proxy for `base`, from `--proxy` and the environment read through `var`.
pub fn route(base: &ApiBase, flag: Option<&str>, var: &dyn Fn(&str) -> Option<String>) -> Route {
    if base.host_is_loopback() {
        return Route::Direct(Direct::Loopback);
    }
    let first = |names: &[&str]| {
        names.iter().find_map(|n| {
            var(n)
                .filter(|v| !v.trim().is_empty())
                .map(|v| (v.trim().to_owned(), (*n).to_owned()))
        })
    };
    let https = base.url().scheme() == "https";
    let chosen = match flag {
        Some(url) => Some((url.to_owned(), "--proxy".to_owned())),
        None if https => first(&["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"]),
        None => first(&["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"]),
    };
    let Some((url, from)) = chosen else {
        return Route::Direct(Direct::NoneSet);
    };
    // A scheme-less proxy ("proxy:3128") means http, as in curl.
    let url = if url.contains("://") {
        url
    } else {
        format!("http://{url}")
    };
    let proxy = Proxy { url, from };
    if let Some(no_proxy) = first(&["NO_PROXY", "no_proxy"]).map(|(v, _)| v) {
        let matcher = hyper_util::client::proxy::matcher::Matcher::builder()
            .all(proxy.url.clone())
            .no(no_proxy.clone())
            .build();
        let exempt = base
            .url()
            .as_str()
            .parse::<hyper::Uri>()
            .is_ok_and(|uri| matcher.intercept(&uri).is_none());
        if exempt {
            return Route::Direct(Direct::NoProxy { proxy, no_proxy });
        }
    }
    Route::Proxy(proxy)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    fn base(url: &str) -> ApiBase {
        ApiBase::parse(url).unwrap()
    }

    #[test]
    fn https_proxy_is_used_for_webex_and_never_for_loopback() {
        let e = env(&[("HTTPS_PROXY", "http://proxy.agency.gov:3128")]);
        let webex = base("https://api-usgov.webex.com/v1");
        let Route::Proxy(p) = route(&webex, None, &e) else {
            panic!("no proxy")
        };
        assert_eq!(p.from, "HTTPS_PROXY");
        assert_eq!(p.shown(), "http://proxy.agency.gov:3128");
        let demo = base("http://127.0.0.1:8787/v1");
        assert_eq!(route(&demo, None, &e), Route::Direct(Direct::Loopback));
        assert_eq!(
            route(&demo, Some("http://p:1"), &e),
            Route::Direct(Direct::Loopback)
        );
    }

    #[test]
    fn the_flag_wins_over_the_environment_and_no_proxy_still_exempts() {
        let e = env(&[
            ("https_proxy", "http://env-proxy:3128"),
            ("NO_PROXY", "localhost,.webex.com"),
        ]);
        let webex = base("https://api-usgov.webex.com/v1");
        let r = route(&webex, Some("http://flag-proxy:8080"), &e);
        let Route::Direct(Direct::NoProxy { proxy, no_proxy }) = r else {
            panic!("{r:?}")
        };
        assert_eq!(proxy.from, "--proxy");
        assert_eq!(no_proxy, "localhost,.webex.com");
        let other = base("https://webexapis.example/v1");
        let Route::Proxy(p) = route(&other, Some("http://flag-proxy:8080"), &e) else {
            panic!("no proxy")
        };
        assert_eq!(p.from, "--proxy");
    }

    #[test]
    fn all_proxy_is_the_fallback_and_nothing_set_is_direct() {
        let webex = base("https://api-usgov.webex.com/v1");
        let e = env(&[("ALL_PROXY", "proxy:3128")]);
        let Route::Proxy(p) = route(&webex, None, &e) else {
            panic!("no proxy")
        };
        assert_eq!(
            (p.url(), p.from.as_str()),
            ("http://proxy:3128", "ALL_PROXY")
        );
        assert_eq!(
            route(&webex, None, &env(&[])),
            Route::Direct(Direct::NoneSet)
        );
    }

    #[test]
    fn a_proxy_password_is_never_shown() {
        let e = env(&[("HTTPS_PROXY", "http://alice:s3cret-pw@proxy:3128")]);
        let r = route(&base("https://api-usgov.webex.com/v1"), None, &e);
        let Route::Proxy(p) = &r else { panic!() };
        assert!(p.url().contains("s3cret-pw"));
        for text in [r.to_string(), format!("{r:?}"), p.shown()] {
            assert!(!text.contains("s3cret-pw"), "{text}");
            assert!(!text.contains("alice"), "{text}");
        }
    }
}

//! Unit tests of the parent module.

use super::*;

#[test]
fn picks_and_fills() {
    let v: Value = serde_json::json!({"items": [{"id": "R1"}]});
    assert_eq!(pick(&v, "items.0.id"), Some(&Value::from("R1")));
    assert_eq!(pick(&v, "items.1.id"), None);
    assert_eq!(
        fill("/messages?roomId={roomId}&max=1", "roomId", "a/b+c"),
        "/messages?roomId=a%2Fb%2Bc&max=1"
    );
    let now = builtin("now").unwrap();
    assert!(now.len() == 24 && now[19..] == *".000Z", "{now}");
}

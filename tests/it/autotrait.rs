//! Every public type can cross threads (`semver`'s `test_autotrait`).

fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn public_types_are_send_and_sync() {
    assert_send_sync::<imagetag::Error>();
    assert_send_sync::<imagetag::Reference<'static>>();
    assert_send_sync::<imagetag::OwnedReference>();
    assert_send_sync::<imagetag::AnyReference<'static>>();
    assert_send_sync::<imagetag::Digest<'static>>();
    assert_send_sync::<imagetag::Mode>();
    assert_send_sync::<imagetag::Version>();
    assert_send_sync::<imagetag::Release>();
    assert_send_sync::<imagetag::VendorRelease>();
    assert_send_sync::<imagetag::Image>();
    assert_send_sync::<imagetag::Track>();
    assert_send_sync::<imagetag::Field>();
    assert_send_sync::<imagetag::Catalog>();
    assert_send_sync::<imagetag::Query>();
    assert_send_sync::<imagetag::scheme::twcc::TwccName>();
    assert_send_sync::<imagetag::scheme::ngc::NgcTag>();
    assert_send_sync::<imagetag::scheme::vessl::VesslTag>();
    assert_send_sync::<imagetag::scheme::generic::GenericTag>();
}

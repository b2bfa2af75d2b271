//! Unit tests of the boundary code (`mod unit_tests` in lib.rs).

use super::*;

#[test]
fn panics_become_a_status_and_a_message() {
    let mut err = NO_ERROR;
    let status = guard(&mut err, || panic!("boom"));
    assert_eq!((status, err.status), (USERHASH_PANIC, USERHASH_PANIC));
    // SAFETY: set by guard.
    let msg = unsafe { std::slice::from_raw_parts(err.message.ptr, err.message.len) };
    assert!(std::str::from_utf8(msg).unwrap().contains("boom"));
    // SAFETY: filled by guard; freeing twice is allowed.
    unsafe { userhash_error_free(&mut err) };
    unsafe { userhash_error_free(&mut err) };
    assert_eq!(guard(std::ptr::null_mut(), || panic!("x")), USERHASH_PANIC);
    let owned = guard(&mut err, || panic!("{}", String::from("owned")));
    assert_eq!(owned, USERHASH_PANIC);
    // SAFETY: set by guard.
    let msg = unsafe { std::slice::from_raw_parts(err.message.ptr, err.message.len) };
    assert!(std::str::from_utf8(msg).unwrap().ends_with("owned"));
    // SAFETY: filled by guard.
    unsafe { userhash_error_free(&mut err) };
}

#[test]
fn every_core_code_has_its_status_and_name() {
    let named = [
        USERHASH_EMPTY_SECRET,
        USERHASH_EMPTY_IDENTITY,
        USERHASH_INVALID_INPUT,
        USERHASH_INVALID_JSON,
        USERHASH_INVALID_UTF8,
        USERHASH_TOO_DEEP,
        USERHASH_UNKNOWN_PRESET,
        USERHASH_INVALID_TOKEN,
        USERHASH_BAD_SIGNATURE,
        USERHASH_UNKNOWN_KID,
        USERHASH_TOKEN_EXPIRED,
        USERHASH_TOKEN_NOT_YET_VALID,
        USERHASH_INVALID_SECRET,
    ];
    // A new core code must get its constant above (and in the header).
    assert_eq!(named.len(), ErrorCode::ALL.len());
    for (i, code) in ErrorCode::ALL.into_iter().enumerate() {
        let status = Fail::from(Error::new(code, "m")).0;
        assert_eq!(status, named[i]);
        assert!(status > USERHASH_OK && status < USERHASH_NULL_ARGUMENT);
        // SAFETY: static NUL-terminated strings.
        let (by_status, by_index) =
            unsafe { (CStr::from_ptr(userhash_status_code(status)), CStr::from_ptr(userhash_error_code(i))) };
        assert_eq!(by_status.to_str().unwrap(), code.as_str());
        assert_eq!(by_index, by_status);
    }
    assert!(userhash_error_code(ErrorCode::ALL.len()).is_null());
}

#[test]
fn batches_name_the_first_bad_item_with_the_callers_offset() {
    let mut signer = std::ptr::null_mut();
    // SAFETY: valid (ptr, len) pairs and outputs.
    unsafe {
        let st = userhash_signer_new(
            b"k".as_ptr(),
            1,
            b"inviaro".as_ptr(),
            7,
            std::ptr::null(),
            0,
            std::ptr::null(),
            0,
            &mut signer,
            std::ptr::null_mut(),
        );
        assert_eq!(st, USERHASH_OK);
    }
    let data = b"a\xff";
    let lens = [1usize, 1, 0];
    let mut out = [b'x' as c_char; 3 * 64];
    let mut err = NO_ERROR;
    // SAFETY: as above.
    let st = unsafe {
        let (field, data) = (std::ptr::null(), data.as_ptr());
        userhash_sign_many_packed(signer, field, 0, data, 2, lens.as_ptr(), 3, false, 500, out.as_mut_ptr(), &mut err)
    };
    assert_eq!((st, err.status, err.item), (USERHASH_INVALID_UTF8, USERHASH_INVALID_UTF8, 501));
    // SAFETY: filled by guard.
    let msg = unsafe { std::slice::from_raw_parts(err.message.ptr, err.message.len) };
    assert!(msg.starts_with(b"item 501: "), "{}", String::from_utf8_lossy(msg));
    assert!(out.iter().all(|&b| b == 0));
    // SAFETY: filled by guard; a live signer.
    unsafe { userhash_error_free(&mut err) };
    unsafe { userhash_signer_free(signer) };
}

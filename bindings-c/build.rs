//! Gives the shared library the SONAME it is installed under (`libuserhash.so`).

fn main() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libuserhash.so");
    }
}

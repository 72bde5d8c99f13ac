//! Print the Verilog of a top: `cargo run -p flowdist-hdl --example emit -- parser|hasher`.
fn main() {
    let which = std::env::args().nth(1).unwrap_or_else(|| "parser".into());
    let poly = flowdist_hdl::tops::hash_poly();
    let v = match which.as_str() {
        "hasher" => flowdist_hdl::tops::key_hasher_verilog(poly),
        _ => flowdist_hdl::tops::header_parser_verilog(poly),
    };
    print!("{v}");
}

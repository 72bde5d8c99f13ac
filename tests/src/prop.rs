//! Running a proptest strategy against a check that names the first divergence.
use proptest::strategy::Strategy;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use std::fmt::Debug;

/// Runs `cases` generated values through `check`; panics with the (shrunk) failing value
/// and the check's message.
pub fn check_cases<S>(cases: u32, strategy: S, check: impl Fn(S::Value) -> Result<(), String>)
where
    S: Strategy,
    S::Value: Debug,
{
    let mut runner = TestRunner::new(Config {
        cases,
        ..Config::default()
    });
    runner
        .run(&strategy, |v| check(v).map_err(TestCaseError::fail))
        .unwrap();
}

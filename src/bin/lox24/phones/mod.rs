pub mod csv_input;
mod lines;
pub mod rejected;

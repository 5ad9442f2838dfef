pub mod csv_input;
mod lines;

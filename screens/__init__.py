"""The pages: one module per page, its body a `render()` function, registered in `ui.frame.PAGES`."""
